// The live alert list: seeded by `alerts(state: ACTIVE)`, kept current by `alertChanged(bbox)`.
import { fmtTime, h } from './dom';
import type { Alert } from './types';

const MAX_ITEMS = 100;

/** Newest state of each alert, newest first; cleared ones stay (marked) until pushed out. Pure. */
export function mergeAlert(list: readonly Alert[], a: Alert, max = MAX_ITEMS): Alert[] {
  const rest = list.filter((x) => x.id !== a.id);
  const out = [a, ...rest].sort((x, y) => Date.parse(y.raisedAt) - Date.parse(x.raisedAt));
  return out.slice(0, max);
}

export class AlertList {
  private alerts: Alert[] = [];

  constructor(
    private readonly host: HTMLElement,
    private readonly countEl: HTMLElement,
    private readonly onOpenSensor: (sensorId: string) => void,
  ) {}

  set(list: Alert[]): void {
    this.alerts = [];
    for (const a of list) this.alerts = mergeAlert(this.alerts, a);
    this.render();
  }

  upsert(a: Alert): void {
    this.alerts = mergeAlert(this.alerts, a);
    this.render(a.id);
  }

  private render(flashId?: string): void {
    const active = this.alerts.filter((a) => a.state === 'ACTIVE').length;
    this.countEl.textContent = String(active);
    if (!this.alerts.length) {
      this.host.replaceChildren(h('li', { class: 'muted empty' }, 'No alerts.'));
      return;
    }
    this.host.replaceChildren(
      ...this.alerts.map((a) => {
        const open = h('button', { type: 'button', class: 'link', 'data-testid': 'alert-sensor', 'aria-label': `Open sensor ${a.sensorId}` }, a.sensorId);
        open.addEventListener('click', () => this.onOpenSensor(a.sensorId));
        return h(
          'li',
          {
            'data-testid': 'alert-item',
            'data-alert-id': a.id,
            'data-sensor-id': a.sensorId,
            'data-state': a.state,
            class: `alert state-${a.state.toLowerCase()} sev-${a.severity.toLowerCase()}${a.id === flashId ? ' flash' : ''}`,
          },
          h('div', {}, h('strong', {}, a.severity), ' · ', a.rule, ' · ', open),
          h('div', {}, a.message),
          h('div', { class: 'muted' }, `${a.state.toLowerCase()} · raised ${fmtTime(a.raisedAt)}${a.clearedAt ? ` · cleared ${fmtTime(a.clearedAt)}` : ''}`),
        );
      }),
    );
  }
}
