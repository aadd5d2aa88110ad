import assert from "node:assert/strict";
import { test } from "node:test";
import { ServiceClient, type MessagePort_ } from "../src/service/client";
import { parseIncoming, ProtocolError, ServiceError } from "../src/service/envelope";

test("replies and pushes parse; anything else is a protocol error", () => {
  assert.deepEqual(parseIncoming('{"type":"reply","id":3,"result":{"x":1}}'), { type: "reply", id: 3, result: { x: 1 } });
  assert.deepEqual(parseIncoming('{"type":"reply","id":4,"error":{"type":"edit.invalid","message":"no"}}'), {
    type: "reply",
    id: 4,
    error: { type: "edit.invalid", message: "no" },
  });
  assert.deepEqual(parseIncoming('{"type":"push","name":"library.changed","args":{"story_id":null}}'), {
    type: "push",
    name: "library.changed",
    args: { story_id: null },
  });
  assert.throws(() => parseIncoming('{"type":"other"}'), ProtocolError);
  assert.throws(() => parseIncoming("[1,2]"), ProtocolError);
});

/** A worker stand-in: records what the client posts and lets the test answer. */
class FakeWorker implements MessagePort_ {
  sent: string[] = [];
  private onMessage: ((event: MessageEvent<unknown>) => void) | null = null;
  private onError: ((event: Event) => void) | null = null;
  terminated = false;
  postMessage(message: string): void {
    this.sent.push(message);
  }
  addEventListener(type: "message" | "error", listener: ((event: MessageEvent<unknown>) => void) | ((event: Event) => void)): void {
    if (type === "message") this.onMessage = listener as (event: MessageEvent<unknown>) => void;
    else this.onError = listener as (event: Event) => void;
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(text: string): void {
    this.onMessage?.({ data: text } as MessageEvent<unknown>);
  }
  crash(): void {
    this.onError?.(new Event("error"));
  }
}

type Methods = { "story.open": { args: { story_id: string }; result: { ok: boolean } } };
type Pushes = { "library.changed": { story_id: string | null } };

test("each call is one JSON request; replies resolve the matching call, in any order", async () => {
  const worker = new FakeWorker();
  const client = new ServiceClient<Methods, Pushes>(worker);
  const first = client.call("story.open", { story_id: "a" });
  const second = client.call("story.open", { story_id: "b" });
  const [r1, r2] = worker.sent.map((s) => JSON.parse(s) as { id: number; name: string; args: unknown });
  assert.equal(r1!.name, "story.open");
  assert.deepEqual(r2!.args, { story_id: "b" });
  worker.answer(JSON.stringify({ type: "reply", id: r2!.id, result: { ok: false } }));
  worker.answer(JSON.stringify({ type: "reply", id: r1!.id, error: { type: "story.not_found", message: "gone" } }));
  assert.deepEqual(await second, { ok: false });
  await assert.rejects(first, (e: unknown) => e instanceof ServiceError && e.type === "story.not_found" && e.message === "gone");
  assert.equal(client.pendingCount, 0);
});

test("pushes reach their listeners until unsubscribed", () => {
  const worker = new FakeWorker();
  const client = new ServiceClient<Methods, Pushes>(worker);
  const seen: (string | null)[] = [];
  const off = client.onPush("library.changed", (args) => seen.push(args.story_id));
  worker.answer('{"type":"push","name":"library.changed","args":{"story_id":"x"}}');
  off();
  worker.answer('{"type":"push","name":"library.changed","args":{"story_id":"y"}}');
  assert.deepEqual(seen, ["x"]);
});

test("a worker that dies rejects every pending call and every later one", async () => {
  const worker = new FakeWorker();
  const client = new ServiceClient<Methods, Pushes>(worker);
  const pending = client.call("story.open", { story_id: "a" });
  worker.crash();
  await assert.rejects(pending);
  await assert.rejects(client.call("story.open", { story_id: "b" }));
});
