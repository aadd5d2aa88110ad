/**
 * The one envelope that crosses the worker boundary (docs/studio-service.md).
 *
 *   request  {id, name, args}
 *   reply    {type: "reply", id, result} | {type: "reply", id, error: {type, message}}
 *   push     {type: "push", name, args}
 *
 * Every message travels as a JSON *string*: the Python side produces and consumes strings
 * (model_dump_json / model_validate_json), and the worker forwards them untouched, so no
 * structured-clone or PyProxy conversion ever decides what a value looks like.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface RequestEnvelope {
  readonly id: number;
  readonly name: string;
  readonly args: unknown;
}

export interface ServiceErrorShape {
  readonly type: string;
  readonly message: string;
}

export interface ReplyOk {
  readonly type: "reply";
  /** null only for a reply to a request whose id could not be read (and start()'s reply). */
  readonly id: number | null;
  readonly result: unknown;
}

export interface ReplyError {
  readonly type: "reply";
  readonly id: number | null;
  readonly error: ServiceErrorShape;
}

export type Reply = ReplyOk | ReplyError;

export interface Push {
  readonly type: "push";
  readonly name: string;
  readonly args: unknown;
}

export type Incoming = Reply | Push;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parse one message from the worker; anything that is not an envelope is a protocol error. */
export function parseIncoming(text: string): Incoming {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) throw new ProtocolError(`expected an envelope object, got ${text.slice(0, 80)}`);
  if (value["type"] === "push" && typeof value["name"] === "string") {
    return { type: "push", name: value["name"], args: value["args"] ?? null };
  }
  if (value["type"] === "reply" && (typeof value["id"] === "number" || value["id"] === null)) {
    const error = value["error"];
    if (isRecord(error)) {
      return {
        type: "reply",
        id: value["id"] as number | null,
        error: { type: String(error["type"] ?? "Error"), message: String(error["message"] ?? "") },
      };
    }
    return { type: "reply", id: value["id"] as number | null, result: value["result"] ?? null };
  }
  throw new ProtocolError(`not a reply or push envelope: ${text.slice(0, 80)}`);
}

export function encodeRequest(request: RequestEnvelope): string {
  return JSON.stringify(request);
}

export function encodeReply(reply: Reply): string {
  return JSON.stringify(reply);
}

export function encodePush(push: Push): string {
  return JSON.stringify(push);
}

/** A reply with an error: the Python exception type and its message, never a traceback. */
export class ServiceError extends Error {
  readonly type: string;
  constructor(shape: ServiceErrorShape) {
    super(shape.message);
    this.name = "ServiceError";
    this.type = shape.type;
  }
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}
