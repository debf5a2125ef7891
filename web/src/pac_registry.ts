// pac_registry.ts — the PAC operator's registrations tab: the lists of clients, devices, AOPs
// and AOLs (GET /api/v1/KINDS; every read is an audit row, so they are fetched when the tab is
// opened and after a change — never on a timer) and the forms to add one of each
// (registration_forms.ts), the AOL's with the point-picking map (pac_map.ts). The lists show
// what the operator needs to find a record, not the AOP's signalement or pleger.
import { api, regionOutlines, Session } from './api.js';
import { element } from './dom.js';
import { button, fillRows, makeTable } from './pac_format.js';
import { AolShape, PickMap, RegionShape } from './pac_map.js';
import { RecordKind, RegistrationForm } from './registration_forms.js';

interface Client { id: string; name: string; home_region: string; active: boolean }
interface Device { id: string; client_id: string; active: boolean }
interface Aop { id: string; client_id: string; case_worker: string; valid_from: string;
                valid_until: string; active: boolean }
interface Aol extends AolShape { client_id: string; address: string }

const yesNo = (active: boolean) => (active ? 'actief' : 'niet actief');

export class RegistryPanel {
  readonly root = element('section');
  private readonly map: PickMap;
  private readonly forms: RegistrationForm[];
  private readonly bodies = new Map<string, HTMLTableSectionElement>();
  private readonly message = element('p', '', 'error');

  constructor(private readonly session: Session) {
    this.map = new PickMap(session, (lat, lon) => aolForm.pick(lat, lon));
    const reload = () => void this.load();
    const aolForm = new RegistrationForm(session, 'aols', reload, this.map);
    this.forms = (['clients', 'devices', 'aops'] as RecordKind[])
      .map((kind) => new RegistrationForm(session, kind, reload));
    this.forms.push(aolForm);
    this.message.id = 'pac-registry-error';
    this.message.setAttribute('role', 'alert');

    const lists = element('div', '', 'registry-lists');
    const tables: [string, string, string[]][] = [
      ['clients', 'Cliënten', ['Nummer', 'Naam', 'Regio', 'Status']],
      ['devices', 'Apparaten', ['Apparaat', 'Cliënt', 'Status']],
      ['aops', 'AOP’s', ['AOP', 'Cliënt', 'Hulpverlener', 'Van', 'Tot', 'Status']],
      ['aols', 'AOL’s', ['AOL', 'Cliënt', 'Omschrijving', 'Adres', 'Breedte', 'Lengte', 'Straal',
                         'Status']],
    ];
    for (const [kind, title, headers] of tables) {
      const t = makeTable(`list-${kind}`, headers);
      this.bodies.set(kind, t.body);
      const block = element('div', '', 'registry-list');
      block.append(element('h3', title), t.table);
      lists.append(block);
    }
    const formBox = element('div', '', 'registry-forms');
    formBox.append(...this.forms.map((f) => f.root));
    this.root.append(element('h2', 'Registraties'),
                     button('Vernieuwen', 'refresh', reload), this.message, formBox, lists);
  }

  // The tab was opened: show the map (it needs its size) and fetch the lists.
  shown(): void {
    this.map.show();
    void this.load();
  }

  stop(): void {
    this.map.stop();
  }

  private async load(): Promise<void> {
    let clients: Client[]; let devices: Device[]; let aops: Aop[]; let aols: Aol[];
    let regions: RegionShape[]; let outlines: GeoJSON.FeatureCollection | null;
    try {
      [clients, devices, aops, aols, regions, outlines] = await Promise.all([
        this.list<Client>('clients'), this.list<Device>('devices'), this.list<Aop>('aops'),
        this.list<Aol>('aols'), this.list<RegionShape>('regions'), regionOutlines(this.session)]);
    } catch (error) {
      this.message.textContent = `Registraties niet opgehaald: ${(error as Error).message}`;
      return;
    }
    this.message.textContent = '';
    const rows = <T extends { id: string; active: boolean }>(items: T[], cells: (x: T) => string[]) =>
      items.map((x) => ({ key: x.id, className: x.active ? '' : 'inactive', cells: cells(x) }));
    fillRows(this.bodies.get('clients')!, rows(clients, (c) =>
      [c.id, c.name, c.home_region || '—', yesNo(c.active)]));
    fillRows(this.bodies.get('devices')!, rows(devices, (d) => [d.id, d.client_id, yesNo(d.active)]));
    fillRows(this.bodies.get('aops')!, rows(aops, (a) =>
      [a.id, a.client_id, a.case_worker || '—', a.valid_from, a.valid_until, yesNo(a.active)]));
    fillRows(this.bodies.get('aols')!, rows(aols, (a) =>
      [a.id, a.client_id || '—', a.label || '—', a.address || '—', String(a.lat), String(a.lon),
       `${a.radius_m} m`, yesNo(a.active)]));
    const choices = { clients: clients.map((c) => c.id), regions: regions.map((r) => r.id) };
    this.forms.forEach((f) => f.setChoices(choices));
    this.map.setRegions(outlines);
    this.map.setAols(aols);
  }

  private async list<T>(kind: string): Promise<T[]> {
    const reply = await api(this.session, 'GET', `/${kind}`) as Record<string, T[]> | null;
    return reply?.[kind] ?? [];
  }
}
