/** The toasts on screen: short notices, gone after a while unless sticky. */
import type { Toast } from "./state";
import { Observable } from "./store";

export class ToastQueue extends Observable<readonly Toast[]> {
  private seq = 0;

  constructor() {
    super([]);
  }

  /** Show a toast; returns its id (for dismiss). */
  push(toast: Omit<Toast, "id">, ms = 6000): number {
    const id = ++this.seq;
    this.update((list) => [...list, { ...toast, id }]);
    if (!toast.sticky) window.setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number): void {
    this.update((list) => list.filter((t) => t.id !== id));
  }
}
