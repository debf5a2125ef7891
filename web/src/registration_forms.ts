// registration_forms.ts — the PAC operator's forms to add a client, a device, an AOP and an AOL
// (POST /api/v1/{clients,devices,aops,aols}). A form sends what was typed, without checks of
// its own: awared validates every field and its 4xx text, which names the field, is shown
// under the form; nothing is written then. The AOL's point is picked on the map (pac_map.ts)
// or typed. Used by pac_registry.ts.
import { api, Session } from './api.js';
import { element } from './dom.js';
import { label } from './pac_format.js';
import { PickMap } from './pac_map.js';

// One field: the record's key, its Dutch label, and how it is entered and sent.
interface FieldSpec {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'date' | 'textarea' | 'select';
  choices?: 'clients' | 'regions';  // a select's options
  optional?: boolean;               // '' may be left out (for a select: the first choice is "—")
}

export type RecordKind = 'clients' | 'devices' | 'aops' | 'aols';

const FORMS: Record<RecordKind, { title: string; fields: FieldSpec[] }> = {
  clients: { title: 'Cliënt toevoegen', fields: [
    { key: 'id', label: 'Cliëntnummer', kind: 'text' },
    { key: 'name', label: 'Naam', kind: 'text' },
    { key: 'home_region', label: 'Regio (woonplaats)', kind: 'select', choices: 'regions', optional: true },
  ] },
  devices: { title: 'Apparaat toevoegen', fields: [
    { key: 'id', label: 'Apparaat-id (X-Mark)', kind: 'text' },
    { key: 'client_id', label: 'Cliënt', kind: 'select', choices: 'clients' },
  ] },
  aops: { title: 'AOP toevoegen (afspraak op persoon)', fields: [
    { key: 'id', label: 'AOP-nummer', kind: 'text' },
    { key: 'client_id', label: 'Cliënt', kind: 'select', choices: 'clients' },
    { key: 'signalement', label: 'Signalement', kind: 'textarea', optional: true },
    { key: 'pleger', label: 'Pleger', kind: 'textarea', optional: true },
    { key: 'case_worker', label: 'Hulpverlener', kind: 'text', optional: true },
    { key: 'valid_from', label: 'Geldig van', kind: 'date' },
    { key: 'valid_until', label: 'Geldig tot en met', kind: 'date' },
  ] },
  aols: { title: 'AOL toevoegen (afspraak op locatie)', fields: [
    { key: 'id', label: 'AOL-nummer', kind: 'text' },
    { key: 'client_id', label: 'Cliënt', kind: 'select', choices: 'clients', optional: true },
    { key: 'label', label: 'Omschrijving (woning, school…)', kind: 'text', optional: true },
    { key: 'address', label: 'Adres', kind: 'text', optional: true },
    { key: 'instructions', label: 'Instructies voor de meldkamer', kind: 'textarea', optional: true },
    { key: 'lat', label: 'Breedtegraad (klik op de kaart)', kind: 'number' },
    { key: 'lon', label: 'Lengtegraad (klik op de kaart)', kind: 'number' },
    { key: 'radius_m', label: 'Straal in meters', kind: 'number' },
  ] },
};

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

// The record a form's fields make: text as typed, numbers as numbers (an unreadable one as
// null, so that awared names it), optional empty fields left out.
export function recordOf(fields: FieldSpec[], values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const text = (values[f.key] ?? '').trim();
    if (text === '' && (f.optional || f.kind === 'number')) {
      continue;
    }
    if (f.kind === 'number') {
      const n = Number(text.replace(',', '.'));
      body[f.key] = Number.isFinite(n) ? n : null;
    } else {
      body[f.key] = text;
    }
  }
  return body;
}

export class RegistrationForm {
  readonly root: HTMLFormElement = element('form', '', 'registration');
  private readonly fields = new Map<string, Field>();
  private readonly message = element('p', '', 'form-message');

  // `added` is called after awared stored a record (to refresh the lists).
  constructor(private readonly session: Session, readonly kind: RecordKind,
              private readonly added: () => void, private readonly map: PickMap | null = null) {
    const spec = FORMS[kind];
    this.root.id = `form-${kind}`;
    this.root.noValidate = true;
    this.root.append(element('h3', spec.title));
    for (const f of spec.fields) {
      const field = makeField(f);
      field.id = `${kind}-${f.key}`;
      field.name = f.key;
      this.fields.set(f.key, field);
      this.root.append(label(f.label, field));
    }
    if (map !== null) {
      this.root.append(map.root);
      for (const key of ['lat', 'lon', 'radius_m']) {
        this.fields.get(key)!.addEventListener('input', () => this.drawPick());
      }
    }
    const submit = element('button', 'Toevoegen', 'submit');
    submit.type = 'submit';
    this.message.id = `form-${kind}-message`;
    this.message.setAttribute('role', 'alert');
    this.root.append(submit, this.message);
    this.root.onsubmit = (event) => {
      event.preventDefault();
      void this.submit();
    };
  }

  // A point picked on the map: fills lat/lon and draws it.
  pick(lat: number, lon: number): void {
    this.fields.get('lat')!.value = String(lat);
    this.fields.get('lon')!.value = String(lon);
    this.drawPick();
  }

  // Fills the select fields' options: clients and regions by id (keeps a chosen value).
  setChoices(choices: { clients: string[]; regions: string[] }): void {
    for (const f of FORMS[this.kind].fields) {
      if (f.kind !== 'select' || f.choices === undefined) {
        continue;
      }
      const select = this.fields.get(f.key) as HTMLSelectElement;
      const chosen = select.value;
      const options = f.optional ? [''] : [];
      options.push(...choices[f.choices]);
      select.replaceChildren(...options.map((id) => {
        const o = element('option', id === '' ? '—' : id);
        o.value = id;
        return o;
      }));
      if (options.includes(chosen)) {
        select.value = chosen;
      }
    }
  }

  private drawPick(): void {
    const number = (key: string) => Number(this.fields.get(key)!.value.replace(',', '.') || 'x');
    const lat = number('lat');
    const lon = number('lon');
    this.map?.setPick(Number.isFinite(lat) && Number.isFinite(lon)
      ? { lat, lon, radius: number('radius_m') } : null);
  }

  private async submit(): Promise<void> {
    const values: Record<string, string> = {};
    this.fields.forEach((field, key) => { values[key] = field.value; });
    const body = recordOf(FORMS[this.kind].fields, values);
    this.message.className = 'form-message';
    this.message.textContent = 'Bezig…';
    try {
      await api(this.session, 'POST', `/${this.kind}`, body);
    } catch (error) {
      this.message.className = 'form-message error';
      this.message.textContent = `Niet toegevoegd — ${(error as Error).message}`;
      return;
    }
    this.message.className = 'form-message ok';
    this.message.textContent = `${String(body.id)} is toegevoegd.`;
    for (const field of this.fields.values()) {
      if (!(field instanceof HTMLSelectElement)) {
        field.value = '';
      }
    }
    this.map?.setPick(null);
    this.added();
  }
}

function makeField(f: FieldSpec): Field {
  if (f.kind === 'select') {
    return element('select');
  }
  if (f.kind === 'textarea') {
    const t = element('textarea');
    t.rows = 2;
    return t;
  }
  const input = element('input');
  if (f.kind === 'date') {
    input.type = 'date';
  } else if (f.kind === 'number') {
    input.inputMode = 'decimal';
  }
  input.autocomplete = 'off';
  return input;
}
