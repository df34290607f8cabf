'use client';
// components/PollenPanel.tsx: client component of the allergy-forecast site (Next.js App Router).
// It runs in the visitor's browser: refreshes the forecast from our own /api/pollen route every
// 10 minutes while the tab is open, keeps the chosen scale in localStorage, and has a form to
// subscribe to morning alerts. No server-side job, nothing that runs between visits.
import { useEffect, useState, type FormEvent } from 'react';

type Forecast = { date: string; tree: number; grass: number; weed: number };
type Scale = 'index' | 'grains';

const REFRESH_MS = 10 * 60 * 1000;

export default function PollenPanel({ zip }: { zip: string }) {
  const [days, setDays] = useState<Forecast[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [scale, setScale] = useState<Scale>('index');
  const [email, setEmail] = useState('');
  const [status, setStatus] = useState<'idle' | 'sending' | 'subscribed' | 'failed'>('idle');

  useEffect(() => {
    const saved = window.localStorage.getItem('pollen-scale');
    if (saved === 'index' || saved === 'grains') setScale(saved);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    async function load() {
      try {
        const res = await fetch(`/api/pollen?zip=${encodeURIComponent(zip)}&scale=${scale}`, { signal: controller.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        setDays((await res.json()) as Forecast[]);
        setError(null);
      } catch (err) {
        if (!controller.signal.aborted) setError((err as Error).message);
      }
    }
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [zip, scale]);

  function changeScale(next: Scale) {
    setScale(next);
    window.localStorage.setItem('pollen-scale', next);
  }

  async function subscribe(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus('sending');
    const res = await fetch('/api/alerts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, zip }),
    });
    setStatus(res.ok ? 'subscribed' : 'failed');
  }

  return (
    <section className="pollen-panel">
      <div role="radiogroup" aria-label="Scale">
        {(['index', 'grains'] as const).map((option) => (
          <button key={option} aria-pressed={scale === option} onClick={() => changeScale(option)}>
            {option === 'index' ? 'Index 0–12' : 'grains/m³'}
          </button>
        ))}
      </div>
      {error && <p className="error">Could not load the forecast ({error}).</p>}
      <ul>
        {days.map((day) => (
          <li key={day.date}>
            <strong>{new Date(day.date).toLocaleDateString(undefined, { weekday: 'short' })}</strong> tree {day.tree} · grass{' '}
            {day.grass} · weed {day.weed}
          </li>
        ))}
      </ul>
      <form onSubmit={subscribe}>
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="you@example.com" />
        <button disabled={status === 'sending'}>{status === 'subscribed' ? 'Subscribed ✓' : 'Morning alerts'}</button>
      </form>
    </section>
  );
}
