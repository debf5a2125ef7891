// pac_devices.ts — two tabs of the PAC operator's view over REST: device status (GET
// /api/v1/device-status: battery, last heard, supervision) and proefmelding windows (GET
// /api/v1/test-windows; start with POST /devices/{id}/test-window {minutes, reason}, stop with
// POST /devices/{id}/test-window/stop). awared records the signed-in user as who opened or
// closed a window; its refusals are shown as it words them.
import { api, Session } from './api.js';
import { element } from './dom.js';
import { batteryText, button, DeviceHealth, fillRows, healthText, isoText, label, makeTable }
  from './pac_format.js';

// One window of GET /api/v1/test-windows.
interface TestWindow {
  id: number;
  device_id: string;
  opened: string;
  until: string;
  reason: string;
  opened_by: string;
  tests: number;
}

export class DevicePanel {
  readonly statusRoot = element('section');
  readonly windowRoot = element('section');
  private readonly statusBody: HTMLTableSectionElement;
  private readonly windowBody: HTMLTableSectionElement;
  private readonly statusError = element('p', '', 'error');
  private readonly windowMessage = element('p', '', 'error');
  private readonly windowsEmpty = element('p', 'Er staat geen proefmeldingsvenster open.', 'empty');
  private readonly form = element('form', '', 'inline-form');
  private readonly device = element('select');
  private readonly minutes = element('input');
  private readonly reason = element('input');
  private refreshing = false;
  private again = false;

  constructor(private readonly session: Session) {
    const status = makeTable('pac-devices', ['Apparaat', 'Cliënt', 'Laatst gehoord', 'Batterij',
                                             'Hartslag', 'Bewaking', '']);
    this.statusBody = status.body;
    this.statusError.id = 'pac-devices-error';
    this.statusError.setAttribute('role', 'alert');
    this.statusRoot.append(element('h2', 'Apparaatstatus'),
                           button('Vernieuwen', 'refresh', () => this.refresh()),
                           status.table, this.statusError);

    const windows = makeTable('pac-windows', ['Apparaat', 'Geopend', 'Tot', 'Door', 'Reden',
                                              'Proefmeldingen', '']);
    this.windowBody = windows.body;
    this.windowMessage.id = 'pac-windows-error';
    this.windowMessage.setAttribute('role', 'alert');
    this.windowsEmpty.id = 'pac-windows-empty';
    this.device.id = 'pac-window-device';
    this.minutes.id = 'pac-window-minutes';
    this.minutes.inputMode = 'numeric';
    this.minutes.value = '30';
    this.reason.id = 'pac-window-reason';
    this.reason.value = 'proefmelding met de cliënt';
    this.form.noValidate = true;  // awared checks the values and names the field
    this.form.append(label('Apparaat', this.device), label('Minuten', this.minutes),
                     label('Reden', this.reason));
    const start = element('button', 'Venster openen', 'start-window');
    start.type = 'submit';
    this.form.append(start);
    this.form.onsubmit = (event) => {
      event.preventDefault();
      void this.startWindow();
    };
    this.windowRoot.append(
      element('h2', 'Proefmeldingen'),
      element('p', 'Zolang een venster open staat, gaat een druk op de knop van dat apparaat als ' +
                   'proefmelding naar de PAC, niet naar de politie.', 'hint'),
      this.form, this.windowMessage, windows.table, this.windowsEmpty);
  }

  // Fetches both lists again; a call while one is running runs once more after it.
  refresh(): void {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    void this.load().finally(() => {
      this.refreshing = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async load(): Promise<void> {
    try {
      const reply = await api(this.session, 'GET', '/device-status') as { devices?: DeviceHealth[] };
      const devices = reply.devices ?? [];
      this.statusError.textContent = '';
      fillRows(this.statusBody, devices.map((d) => ({
        key: d.device_id,
        className: healthText(d) === 'in orde' ? 'health-ok' : 'health-problem',
        cells: [d.device_id, d.client_id, isoText(d.last_heard), batteryText(d),
                `${Math.round(d.heartbeat_interval_s / 60)} min`, healthText(d),
                d.active ? button('Proefmelding…', 'to-window', () => this.prepare(d.device_id)) : ''],
      })));
      this.setDevices(devices.filter((d) => d.active).map((d) => d.device_id));
    } catch (error) {
      this.statusError.textContent = `Apparaatstatus niet opgehaald: ${(error as Error).message}`;
    }
    try {
      const reply = await api(this.session, 'GET', '/test-windows') as { test_windows?: TestWindow[] };
      const windows = reply.test_windows ?? [];
      fillRows(this.windowBody, windows.map((w) => ({
        key: w.device_id,
        cells: [w.device_id, isoText(w.opened), isoText(w.until), w.opened_by, w.reason,
                String(w.tests), button('Stoppen', 'stop-window', () => void this.stopWindow(w.device_id))],
      })));
      this.windowsEmpty.hidden = windows.length > 0;
    } catch (error) {
      this.windowMessage.textContent = `Vensters niet opgehaald: ${(error as Error).message}`;
    }
  }

  // The device choice keeps its selection when the list is refreshed.
  private setDevices(ids: string[]): void {
    const chosen = this.device.value;
    this.device.replaceChildren(...ids.map((id) => {
      const o = element('option', id);
      o.value = id;
      return o;
    }));
    if (ids.includes(chosen)) {
      this.device.value = chosen;
    }
  }

  private prepare(deviceId: string): void {
    this.device.value = deviceId;
    document.getElementById('pac-tab-proef')?.click();
    this.minutes.focus();
  }

  private async startWindow(): Promise<void> {
    this.windowMessage.textContent = '';
    const id = this.device.value;
    try {
      await api(this.session, 'POST', `/devices/${encodeURIComponent(id)}/test-window`,
                { minutes: Number(this.minutes.value), reason: this.reason.value });
      this.windowMessage.textContent = '';
    } catch (error) {
      this.windowMessage.textContent = `Niet geopend: ${(error as Error).message}`;
    }
    this.refresh();
  }

  private async stopWindow(deviceId: string): Promise<void> {
    this.windowMessage.textContent = '';
    try {
      await api(this.session, 'POST', `/devices/${encodeURIComponent(deviceId)}/test-window/stop`);
    } catch (error) {
      this.windowMessage.textContent = `Niet gestopt: ${(error as Error).message}`;
    }
    this.refresh();
  }
}
