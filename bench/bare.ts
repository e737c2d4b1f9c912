// The baseline: a bare Fastify app answering the benchmark's routes with hard-coded JSON.
import Fastify from 'fastify'

const meeting = {
  id: '8d3c6a2e-0f4b-4c55-9a53-5e1f2f0f6b11', title: 'Standup', preferred_region: null, record_on_start: false,
  live_stream_on_start: false, status: 'ACTIVE', created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z',
}
const list = { success: true, data: Array.from({ length: 20 }, () => meeting), paging: { total_count: 10000, start_offset: 1, end_offset: 20 } }

const app = Fastify({ logger: false })
app.get('/v2/meetings/:id', async () => ({ success: true, data: meeting }))
app.get('/v2/meetings', async () => list)
app.post('/v2/meetings', async (_req, reply) => { reply.code(201); return { success: true, data: meeting } })
app.get('/health', async () => ({ status: 'ok' }))
const address = await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' })
console.log(`listening ${address}`)
