// route.ts — hash routes: the address names the view and, for the PAC operator, the tab
// (#/meldkamer, #/pac/meldingen … #/pac/contracten, #/hulpverlener, #/beheer), so a reload shows the same
// place. Only where the user is goes into the address: never an id, a name or anything personal.
// The role still decides the view (app.ts); a route of another role's view is replaced.

// The route's parts: "#/pac/registraties" → ['pac', 'registraties'].
export function routeParts(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter((part) => part !== '');
}

// Puts `parts` into the address without a new history entry (Back leaves the console rather
// than stepping through tabs).
export function setRoute(...parts: string[]): void {
  const hash = `#/${parts.join('/')}`;
  if (location.hash !== hash) {
    history.replaceState(null, '', hash);
  }
}
