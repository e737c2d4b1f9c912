// Handler types from the types generated from the specs (src/generated/, npm run gen:types): each
// handler gets its operation's path parameters, query string and body as validated. A Dyte handler
// that also answers RealtimeKit operations (src/realtimekit-operations.ts) gets theirs too.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { operations as DyteOperations } from '../generated/dyte-v2.js'
import type { operations as MockOperations } from '../generated/mock.js'
import type { operations as RealtimeKitOperations } from '../generated/realtimekit.js'
import type { realtimeKitOperations } from '../realtimekit-operations.js'

type Defined<T> = [Exclude<T, undefined>] extends [never] ? Record<never, never> : Exclude<T, undefined>
type Params<O> = O extends { parameters: { path?: infer P } } ? Defined<P> : Record<never, never>
type Query<O> = O extends { parameters: { query?: infer Q } } ? Defined<Q> : Record<never, never>
/** An optional body that was not sent is validated (and handled) as `{}`. */
type Body<O> = O extends { requestBody?: infer R } ? (Exclude<R, undefined> extends { content: { 'application/json': infer B } } ? B : undefined) : undefined

/** What a request of the operation carries once validated. */
export interface Input<O> { Params: Params<O>, Querystring: Query<O>, Body: Body<O> }
export interface AnyInput { Params: unknown, Querystring: unknown, Body: unknown }

/** RealtimeKit's snake-case path parameters are also given in camel case (see routes/realtimekit.ts). */
type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S
type CamelKeys<P> = { [K in keyof P as Camel<K & string>]: P[K] }

type RealtimeKitId = keyof typeof realtimeKitOperations
/** The RealtimeKit operations a handler answers. */
type AnsweredBy<H> = { [R in RealtimeKitId]: (typeof realtimeKitOperations)[R] extends H ? R : never }[RealtimeKitId]
type RealtimeKitInput<R> = R extends keyof RealtimeKitOperations
  ? { Params: CamelKeys<Params<RealtimeKitOperations[R]>>, Querystring: Query<RealtimeKitOperations[R]>, Body: Body<RealtimeKitOperations[R]> }
  : never
type DyteInput<H> = H extends keyof DyteOperations ? Input<DyteOperations[H]> : never

/** A union whose members read every member's keys (undefined where a member has none). */
type AllKeys<U> = U extends unknown ? keyof U : never
type Either<U, All extends PropertyKey = AllKeys<U>> = U extends object ? U & { [K in Exclude<All, keyof U>]?: undefined } : U
export interface Merged<I extends AnyInput> { Params: Either<I['Params']>, Querystring: Either<I['Querystring']>, Body: Either<I['Body']> }

export type Handler<I extends AnyInput> = (req: FastifyRequest<I>, reply: FastifyReply) => Promise<unknown>

/** Handlers of the Dyte API and of RealtimeKit's own operations, by the name src/realtimekit-operations.ts gives them. */
export type ApiHandlers = {
  [H in keyof DyteOperations | (typeof realtimeKitOperations)[RealtimeKitId]]: Handler<Merged<DyteInput<H> | RealtimeKitInput<AnsweredBy<H>>>>
}

/** Every operation of the Dyte API (spec/dyte-v2.yaml) with its handler. */
export type DyteHandlers = Pick<ApiHandlers, keyof DyteOperations>

/** Handlers of the control plane (spec/mock.yaml). */
export type MockHandlers = { [H in keyof MockOperations]: Handler<Input<MockOperations[H]>> }

/** The body a handler receives, for helpers that shape it. */
export type BodyOf<H extends keyof ApiHandlers> = Parameters<ApiHandlers[H]>[0]['body']
