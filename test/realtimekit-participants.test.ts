// RealtimeKit's PUT of a participant (replace_participant), which only RealtimeKit's layout has.
import t from 'tap'
import { ORG, build, meeting } from './helpers.js'

t.test('replace_participant: every field comes from the body (those left out are cleared), with a fresh token', async (t) => {
  const s = await build(t)
  const m = await meeting(s)
  const added = await s.call('POST', `/v2/meetings/${m.id}/participants`,
    { name: 'Jane', picture: 'https://example.com/jane.png', preset_name: 'group_call_host', custom_participant_id: 'jane' })
  t.equal(added.status, 201)
  const p = added.json.data
  const put = (body: unknown) => s.app.inject({
    method: 'PUT',
    url: `/accounts/acc/realtime/kit/${ORG}/meetings/${m.id}/participants/${p.id}`,
    headers: { authorization: 'Bearer any-token', 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  })

  const replaced = await put({ custom_participant_id: 'jane-2', preset_name: 'group_call_participant' })
  t.equal(replaced.statusCode, 200)
  const data = replaced.json().data
  t.match(data, { id: p.id, custom_participant_id: 'jane-2', preset_name: 'group_call_participant', token: String })
  t.equal(data.name ?? null, null, 'the name was left out: it is cleared')
  t.equal(data.picture ?? null, null, 'the picture was left out: it is cleared')
  const after = (await s.call('GET', `/v2/meetings/${m.id}/participants/${p.id}`)).json.data
  t.match(after, { name: null, picture: null, preset_name: 'group_call_participant', custom_participant_id: 'jane-2' })

  const unknownPreset = await put({ custom_participant_id: 'jane-3', name: 'Jane', preset_name: 'no-such-preset' })
  t.equal(unknownPreset.statusCode, 400)
  t.match(unknownPreset.json().error.message, /body\/preset_name 'no-such-preset' is not a preset of this organization/)
  t.match((await s.call('GET', `/v2/meetings/${m.id}/participants/${p.id}`)).json.data, { custom_participant_id: 'jane-2', name: null },
    'a refused replace changes nothing')
})
