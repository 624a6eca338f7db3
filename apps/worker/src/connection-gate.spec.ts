/** The worker's bound on activities using the database at once (ConnectionGate). */
import { ConnectionGate } from './connection-gate';

const tick = () => new Promise((r) => setTimeout(r, 2));

describe('ConnectionGate', () => {
  it('runs at most its size at once, the others in the order they came, and every one to its end', async () => {
    const gate = new ConnectionGate(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gate.run(async () => {
          started.push(i);
          running += 1;
          most = Math.max(most, running);
          await tick();
          running -= 1;
          return i * 2;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the place of a work that fails, and passes its error on', async () => {
    const gate = new ConnectionGate(1);
    await expect(gate.run(() => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a size below one', () => {
    expect(() => new ConnectionGate(0)).toThrow('ConnectionGate needs a size of 1 or more, got 0');
  });
});
