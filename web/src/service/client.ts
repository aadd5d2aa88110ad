/**
 * The UI side of the envelope: a pending-request map and push listeners over one worker.
 *
 * Why our own small client rather than Comlink: docs/adr/0021-own-envelope-client-not-comlink.md.
 */
import {
  BOOT_PROGRESS_PUSH,
  BOOT_REQUEST,
  type BootOptions,
  type BootResult,
  type StageProgress,
} from "./boot-options";
import { encodeRequest, parseIncoming, ProtocolError, ServiceError } from "./envelope";

/** name -> {args, result}; the real map is generated (`Facade["handlers"]` in src/generated/facade.ts). */
export type MethodMap<M> = { readonly [K in keyof M]: { readonly args: unknown; readonly result: unknown } };

export interface MessagePort_ {
  postMessage(message: string): void;
  addEventListener(type: "message", listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: "error", listener: (event: ErrorEvent | Event) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  name: string;
}

export class ServiceClient<M extends MethodMap<M>, P> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(args: unknown) => void>>();
  private dead: Error | null = null;

  constructor(private readonly worker: MessagePort_) {
    worker.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (typeof event.data === "string") this.receive(event.data);
    });
    worker.addEventListener("error", (event: ErrorEvent | Event) => {
      const message = "message" in event && event.message ? event.message : "the worker could not start";
      this.fail(new Error(message));
    });
  }

  /** Call a facade method by name; resolves with its result or rejects with a ServiceError. */
  call<N extends keyof M & string>(name: N, args: M[N]["args"]): Promise<M[N]["result"]> {
    return this.send(name, args) as Promise<M[N]["result"]>;
  }

  /** Listen to a push by name; returns the unsubscribe function. */
  onPush<N extends keyof P & string>(name: N, listener: (args: P[N]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const wrapped = listener as (args: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** Boot the worker in stages; rejects (with the failed stage named) if any stage fails. */
  boot(options: BootOptions, onProgress: (progress: StageProgress) => void): Promise<BootResult> {
    const off = this.onPushRaw(BOOT_PROGRESS_PUSH, (args) => onProgress(args as StageProgress));
    const done = this.send(BOOT_REQUEST, options) as Promise<BootResult>;
    return done.finally(off);
  }

  terminate(): void {
    this.fail(new Error("the studio service was stopped"));
    this.worker.terminate();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private onPushRaw(name: string, listener: (args: unknown) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private send(name: string, args: unknown): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, name });
      this.worker.postMessage(encodeRequest({ id, name, args }));
    });
  }

  private receive(text: string): void {
    let message;
    try {
      message = parseIncoming(text);
    } catch (error) {
      console.error(error instanceof ProtocolError ? error.message : error);
      return;
    }
    if (message.type === "push") {
      for (const listener of this.listeners.get(message.name) ?? []) {
        try {
          listener(message.args);
        } catch (error) {
          console.error(`push listener for ${message.name} failed`, error);
        }
      }
      return;
    }
    if (message.id === null) {
      console.error("the service could not read a request:", "error" in message ? message.error.message : message.result);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if ("error" in message) pending.reject(new ServiceError(message.error));
    else pending.resolve(message.result);
  }

  private fail(error: Error): void {
    this.dead = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
