// pac_contracts.ts — the PAC operator's contract reminders: AOP contracts ending within 30 days
// (GET /api/v1/contracts?ending_within_days=30, ended ones included, soonest first), each with
// a new end date to extend or end it (PUT /api/v1/aops/{id}/contract {valid_until}); awared
// resolves the contract_einde alert and answers a bad date with the field's error.
import { api, Session } from './api.js';
import { element } from './dom.js';
import { button, fillRows, makeTable } from './pac_format.js';

// One row of GET /api/v1/contracts.
interface Contract {
  aop_id: string;
  client_id: string;
  case_worker: string;
  valid_from: string;
  valid_until: string;
  days_left: number;
  reminded: boolean;
}

const WITHIN_DAYS = 30;

function daysText(days: number): string {
  if (days < 0) {
    return `verlopen (${-days} dagen geleden)`;
  }
  return days === 0 ? 'vandaag de laatste dag' : `nog ${days} dagen`;
}

export class ContractPanel {
  readonly root = element('section');
  private readonly body: HTMLTableSectionElement;
  private readonly message = element('p', '', 'error');
  private readonly empty = element('p', `Geen contracten die binnen ${WITHIN_DAYS} dagen aflopen.`,
                                    'empty');

  constructor(private readonly session: Session) {
    const table = makeTable('pac-contracts', ['AOP', 'Cliënt', 'Hulpverlener', 'Van', 'Tot',
                                              'Looptijd', 'Herinnerd', 'Nieuwe einddatum']);
    this.body = table.body;
    this.message.id = 'pac-contracts-error';
    this.message.setAttribute('role', 'alert');
    this.root.append(element('h2', 'Contracten die aflopen'),
                     element('p', 'Besluit met de politie en de hulpverlener: verlengen of beëindigen.',
                             'hint'),
                     table.table, this.empty, this.message);
  }

  refresh(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    let contracts: Contract[];
    try {
      const reply = await api(this.session, 'GET', `/contracts?ending_within_days=${WITHIN_DAYS}`) as
          { contracts?: Contract[] };
      contracts = reply.contracts ?? [];
    } catch (error) {
      this.message.textContent = `Contracten niet opgehaald: ${(error as Error).message}`;
      return;
    }
    fillRows(this.body, contracts.map((c) => {
      const date = element('input');
      date.type = 'date';
      date.value = c.valid_until;
      date.setAttribute('aria-label', `Nieuwe einddatum voor ${c.aop_id}`);
      const cell = element('span', '', 'actions');
      cell.append(date, button('Opslaan', 'save-contract', () => void this.save(c.aop_id, date.value)));
      return {
        key: c.aop_id,
        className: c.days_left < 0 ? 'contract-ended' : 'contract-ending',
        cells: [c.aop_id, c.client_id, c.case_worker || '—', c.valid_from, c.valid_until,
                daysText(c.days_left), c.reminded ? 'ja' : 'nee', cell],
      };
    }));
    this.empty.hidden = contracts.length > 0;
  }

  private async save(aopId: string, validUntil: string): Promise<void> {
    this.message.textContent = '';
    try {
      await api(this.session, 'PUT', `/aops/${encodeURIComponent(aopId)}/contract`,
                { valid_until: validUntil });
      this.message.textContent = `${aopId}: einddatum ${validUntil} opgeslagen.`;
    } catch (error) {
      this.message.textContent = `${aopId} niet opgeslagen: ${(error as Error).message}`;
    }
    await this.load();
  }
}
