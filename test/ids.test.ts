import t from 'tap'
import { v5 } from 'uuid'
import { nameUuid } from '../src/tokens.js'

t.test('ids: name-based UUIDs are RFC 9562 version 5, as the uuid package makes them', async (t) => {
  const ns = '1b671a64-40d5-491e-99b0-da01ff1f3341'
  for (const name of ['', 'a', 'seed/org-a/1', 'ü-日本-🙂', 'x'.repeat(1000)]) t.equal(nameUuid(name, ns), v5(name, ns), JSON.stringify(name.slice(0, 20)))
})
