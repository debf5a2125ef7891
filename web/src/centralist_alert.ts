// centralist_alert.ts — the alert for each new spoedmelding: a short two-tone beep generated
// with WebAudio (no audio file), unless muted. The mute choice lives in this tab's
// sessionStorage. The visual flash of the new row is the queue's (centralist.ts).

const MUTE_KEY = 'awared.muted';

export class Alerter {
  private context: AudioContext | null = null;
  muted = sessionStorage.getItem(MUTE_KEY) === '1';
  count = 0;  // beeps asked for (also when muted), for the status line and tests

  setMuted(muted: boolean): void {
    this.muted = muted;
    sessionStorage.setItem(MUTE_KEY, muted ? '1' : '0');
  }

  // Creates the audio context; call from a user gesture (a click or key) so it may play.
  unlock(): void {
    if (this.context === null && typeof AudioContext !== 'undefined') {
      this.context = new AudioContext();
    }
    void this.context?.resume().catch(() => undefined);
  }

  beep(): void {
    this.count += 1;
    if (this.muted) {
      return;
    }
    this.unlock();
    const context = this.context;
    if (context === null) {
      return;
    }
    const start = context.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.18, 660]]) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.type = 'square';
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
      tone.connect(gain).connect(context.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.17);
    }
  }
}
