/**
 * Sign in / create an account on a sync server. Signing in offers to upload this device's
 * stories (matched by id on the account: none copied, none lost); unticked, they stay here.
 */
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Dialog } from "../ui/Dialog";
import type { SyncStatus } from "../generated/facade";
import { apiUrlProblem } from "./api-url";

export interface AccountActions {
  signIn(args: { api_url: string; email: string; password: string; upload_local: boolean }): Promise<SyncStatus>;
  signUp(args: { api_url: string; email: string; password: string; display_name: string; upload_local: boolean }): Promise<SyncStatus>;
}

export function AccountDialog(props: {
  apiUrl: string;
  email: string | null;
  localStories: number;
  actions: AccountActions;
  onDone(status: SyncStatus): void;
  onClose(): void;
}): ReactNode {
  const [mode, setMode] = useState<"sign_in" | "sign_up">("sign_in");
  const [apiUrl, setApiUrl] = useState(props.apiUrl);
  const [email, setEmail] = useState(props.email ?? "");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [upload, setUpload] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { api: useId(), email: useId(), password: useId(), name: useId(), upload: useId() };

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const problem = apiUrlProblem(apiUrl);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const base = { api_url: apiUrl.trim(), email: email.trim(), password, upload_local: upload };
      const status =
        mode === "sign_in" ? await props.actions.signIn(base) : await props.actions.signUp({ ...base, display_name: name.trim() });
      props.onDone(status);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  const title = mode === "sign_in" ? "Sign in to sync" : "Create an account";
  return (
    <Dialog title={title} onClose={props.onClose} testId="account-dialog">
      <form className="account-form" onSubmit={(e) => void submit(e)}>
        <p className="account-intro">
          Your stories stay on this device either way. With an account they are also kept on the sync server and on
          every device you sign in on.
        </p>
        <label htmlFor={ids.email}>Email</label>
        <input id={ids.email} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor={ids.password}>Password</label>
        <input
          id={ids.password}
          type="password"
          autoComplete={mode === "sign_in" ? "current-password" : "new-password"}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {mode === "sign_up" ? (
          <>
            <label htmlFor={ids.name}>Name (optional)</label>
            <input id={ids.name} type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </>
        ) : null}
        <label htmlFor={ids.api}>Sync server</label>
        <input id={ids.api} type="url" required value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} />
        {props.localStories > 0 ? (
          <label className="account-upload" htmlFor={ids.upload}>
            <input id={ids.upload} type="checkbox" checked={upload} onChange={(e) => setUpload(e.target.checked)} /> Upload the{" "}
            {props.localStories === 1 ? "story" : `${props.localStories} stories`} on this device to the account (a story
            already there is matched, not copied)
          </label>
        ) : null}
        {error ? (
          <p className="account-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="account-buttons">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? "Please wait…" : mode === "sign_in" ? "Sign in" : "Create account"}
          </button>
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              setMode(mode === "sign_in" ? "sign_up" : "sign_in");
              setError(null);
            }}
          >
            {mode === "sign_in" ? "Create an account instead" : "I have an account"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
