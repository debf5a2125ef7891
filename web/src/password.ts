// password.ts — "Wachtwoord wijzigen" in the header, for every signed-in user: a modal dialog
// with the current password and the new one twice, sent as POST /api/v1/password. awared
// checks the current password and the rule for the new one (12+ bytes; its text is shown when
// it refuses); on success every session of the user has ended, so the page goes back to the
// login form with a message. Nothing is stored in the page.
import { api, ApiError, Session, tooManyText } from './api.js';
import { byId } from './dom.js';

export const MIN_PASSWORD_BYTES = 12;  // awared's rule (auth::password_problem)

// What is wrong with the new password as typed (twice), or '' when it may be sent.
export function newPasswordProblem(current: string, fresh: string, repeat: string): string {
  if (current === '') {
    return 'Vul uw huidige wachtwoord in.';
  }
  if (new TextEncoder().encode(fresh).length < MIN_PASSWORD_BYTES) {
    return `Het nieuwe wachtwoord heeft minstens ${MIN_PASSWORD_BYTES} tekens.`;
  }
  if (fresh !== repeat) {
    return 'De twee nieuwe wachtwoorden verschillen.';
  }
  if (fresh === current) {
    return 'Het nieuwe wachtwoord is gelijk aan het huidige.';
  }
  return '';
}

// Shows the header button for `session`; `changed` runs after a change (the sessions have
// ended), `ended` when awared says the session was already over.
export function offerPasswordChange(session: Session, changed: () => void, ended: () => void): void {
  const open = byId<HTMLButtonElement>('password-open');
  const dialog = byId<HTMLDialogElement>('password-dialog');
  const form = byId<HTMLFormElement>('password-form');
  const current = byId<HTMLInputElement>('password-current');
  const fresh = byId<HTMLInputElement>('password-new');
  const repeat = byId<HTMLInputElement>('password-repeat');
  const error = byId('password-error');
  const clear = (): void => {
    current.value = '';
    fresh.value = '';
    repeat.value = '';
    error.textContent = '';
  };
  const submit = byId<HTMLButtonElement>('password-submit');
  // No password stays in the page once the dialog is gone: Escape ('cancel') and Annuleren clear
  // it before the dialog closes; 'close' (a task later) covers every other way, e.g. a login.
  dialog.oncancel = clear;
  dialog.onclose = clear;
  open.hidden = false;
  open.onclick = () => {
    clear();
    dialog.showModal();
    current.focus();
  };
  byId<HTMLButtonElement>('password-cancel').onclick = () => {
    clear();
    dialog.close();
  };
  form.onsubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const problem = newPasswordProblem(current.value, fresh.value, repeat.value);
    if (problem !== '') {
      error.textContent = problem;
      return;
    }
    error.textContent = '';
    submit.disabled = true;  // one change at a time: a second would find the session ended
    try {
      await api(session, 'POST', '/password', { current: current.value, new: fresh.value });
    } catch (failure) {
      submit.disabled = false;
      if (failure instanceof ApiError && failure.status === 401) {
        dialog.close();
        ended();
        return;
      }
      error.textContent = failure instanceof ApiError && failure.status === 403
        ? 'Het huidige wachtwoord klopt niet.'
        : failure instanceof ApiError && (failure.status === 429 || failure.status === 503)
          ? tooManyText(failure.status, failure.body as { retry_after_s?: number } | null)
          : `Niet gewijzigd: ${(failure as Error).message}`;
      return;
    }
    submit.disabled = false;
    dialog.close();
    changed();
  };
}

// Hides the header button and closes the dialog (at the login form).
export function hidePasswordChange(): void {
  byId('password-open').hidden = true;
  const dialog = byId<HTMLDialogElement>('password-dialog');
  if (dialog.open) {
    dialog.close();
  }
}
