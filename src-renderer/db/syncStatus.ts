import type { ContractError } from '../../shared/contract/errors';

/**
 * What the desk says about syncing: the last failure (other than an unreachable core, which the
 * connection banner covers) until a pull succeeds; why the core's store could not take the last push
 * (disk full, read-only) until a push goes through; a desk action that could not even be written to
 * the replica (storage full, IndexedDB broken) until one is.
 */
export class SyncStatus {
  private lastError: ContractError | null = null;
  private lastStoreFault: ContractError | null = null;
  private lastLocalFailure: ContractError | null = null;
  private readonly listeners = new Set<() => void>();

  error(): ContractError | null {
    return this.lastError;
  }

  storeFault(): ContractError | null {
    return this.lastStoreFault;
  }

  localFailure(): ContractError | null {
    return this.lastLocalFailure;
  }

  setError(error: ContractError | null): void {
    if (this.lastError === error) return;
    this.lastError = error;
    this.notify();
  }

  setStoreFault(error: ContractError | null): void {
    if (this.lastStoreFault?.code === error?.code) return;
    this.lastStoreFault = error;
    this.notify();
  }

  setLocalFailure(error: ContractError | null): void {
    if (this.lastLocalFailure === error) return;
    this.lastLocalFailure = error;
    this.notify();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
