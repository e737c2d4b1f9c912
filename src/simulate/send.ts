// What POSTs a webhook delivery. Its own module, so the package's public types (ServerOptions)
// name it without reaching the store.

/** fetch, or a stand-in (tests capture deliveries in memory with one). */
export type Send = (url: string, init: RequestInit & { body: string, headers: Record<string, string> }) => Promise<Response>
