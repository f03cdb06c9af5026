import { FRAME_OVERHEAD, MAX_FRAMES_PER_BODY } from '../../channel/mailbox-wire';
import { ITEM_OVERHEAD_BYTES, RETURNED_AFTER_MS } from './store';

// Lua scripts of the Redis store. Each runs atomically in Redis, so the byte counters and
// caps stay exact however many relay instances share the Redis.
//
// Keys, under a prefix P:
//   P sessions            ZSET  session -> last activity (ms, from the relays' clocks)
//   P bytes               HASH  session -> bytes held: queued messages and held frames (ITEM
//                               more than their bytes each), mailbox directions (ITEM each), info
//   P total               STRING bytes held by all sessions
//   P s:<session>:parties HASH  party -> last seen (ms)
//   P s:<session>:tokens  HASH  party -> SHA-256 (hex) of the token holding its slot, '-' .. that
//                               hash once its holder left; exists from the session's first
//                               claim (it uses tokens)
//   P s:<session>:info    STRING the info blob
//   P s:<session>:queues  SET   "from:to" of the non-empty queues
//   P s:<session>:q:<from>:<to>  LIST the queue, oldest first
//   P s:<session>:mail    SET   "from:to" of the mailbox directions holding frames
//   P s:<session>:m:<from>:<to>  ZSET the frames held, score = sequence number,
//                               member = "<seq>:" .. payload
//   P s:<session>:acked   HASH  "from:to" -> highest sequence number the receiver acknowledged,
//                               from the direction's first frame on (0 until then)
//   P s:<session>:epoch   STRING the mailbox's identity, from the session's first exchange
//   P wake                pub/sub channel: "<session>/<from>/<to>" after each push,
//                               "<session>/*/<to>" after frames for <to> arrive,
//                               "<session>/participants" when a party joins or leaves
// A session is live while now - last activity <= ttl. Expired sessions are deleted (with
// their bytes taken off the total) when next touched, when a cap is reached, or by a sweep.
// The session's keys also get a Redis TTL of ttl + grace, so that Redis frees them even if
// no relay runs; the accounting keys have none, so the total stays exact.

/** ARGV[1..5] of every script: prefix, now, ttl, key TTL, session. */
const PREAMBLE = `
local ITEM, FRAME_HEADER, MAX_FRAMES, RETURNED_AFTER = ${ITEM_OVERHEAD_BYTES}, ${FRAME_OVERHEAD}, ${MAX_FRAMES_PER_BODY}, ${RETURNED_AFTER_MS}
local P = ARGV[1]
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local keyTtl = tonumber(ARGV[4])
local s = ARGV[5]
local SESSIONS, BYTES, TOTAL = P .. 'sessions', P .. 'bytes', P .. 'total'

local function key(session, name) return P .. 's:' .. session .. ':' .. name end

local function sessionKeys(session)
  local keys = { key(session, 'parties'), key(session, 'tokens'), key(session, 'info'), key(session, 'queues'),
    key(session, 'mail'), key(session, 'acked'), key(session, 'epoch') }
  for _, q in ipairs(redis.call('SMEMBERS', key(session, 'queues'))) do keys[#keys + 1] = key(session, 'q:' .. q) end
  for _, d in ipairs(redis.call('SMEMBERS', key(session, 'mail'))) do keys[#keys + 1] = key(session, 'm:' .. d) end
  return keys
end

local function drop(session)
  for _, k in ipairs(sessionKeys(session)) do redis.call('DEL', k) end
  local held = tonumber(redis.call('HGET', BYTES, session) or '0')
  if held ~= 0 then redis.call('DECRBY', TOTAL, held) end
  redis.call('HDEL', BYTES, session)
  redis.call('ZREM', SESSIONS, session)
end

-- Deletes up to limit expired sessions; returns how many.
local function purge(limit)
  local expired = redis.call('ZRANGEBYSCORE', SESSIONS, '-inf', '(' .. (now - ttl), 'LIMIT', 0, limit)
  for _, session in ipairs(expired) do drop(session) end
  return #expired
end

-- True if the session exists and has not expired (an expired one is deleted).
local function live()
  local last = redis.call('ZSCORE', SESSIONS, s)
  if not last then return false end
  if now - tonumber(last) > ttl then drop(s) return false end
  return true
end

-- Marks the live session active now.
local function refresh()
  redis.call('ZADD', SESSIONS, 'GT', now, s)
  for _, k in ipairs(sessionKeys(s)) do redis.call('PEXPIRE', k, keyTtl) end
end

local function held() return tonumber(redis.call('HGET', BYTES, s) or '0') end
local function total() return tonumber(redis.call('GET', TOTAL) or '0') end

-- Room for n more bytes in this session and in all, and a session slot if it is new;
-- returns nil or the name of the cap that refuses.
local function admit(exists, n, maxSession, maxTotal, maxSessions)
  if (exists and held() or 0) + n > maxSession then return 'session-full' end
  if total() + n > maxTotal and (purge(1000) == 0 or total() + n > maxTotal) then return 'relay-full' end
  if not exists then
    if redis.call('ZCARD', SESSIONS) >= maxSessions and (purge(1000) == 0 or redis.call('ZCARD', SESSIONS) >= maxSessions) then
      return 'too-many-sessions'
    end
    redis.call('ZADD', SESSIONS, now, s)
  end
  return nil
end

local function account(n)
  if n == 0 then return end -- and -0 would be sent as "-0", which Redis refuses
  redis.call('HINCRBY', BYTES, s, n)
  redis.call('INCRBY', TOTAL, n)
end

local function seen(party)
  if redis.call('HEXISTS', key(s, 'parties'), party) == 1 then redis.call('HSET', key(s, 'parties'), party, now) end
end

-- The token hash holding the slot of party, or false (also once its holder left: '-' .. hash).
local function holder(party)
  local held = redis.call('HGET', key(s, 'tokens'), party)
  if not held or string.sub(held, 1, 1) == '-' then return false end
  return held
end

-- Why a request with token ('' = none) may not act for the slot of party (see store.ts), or nil.
local function slotRefusal(exists, party, token)
  if not exists or redis.call('EXISTS', key(s, 'tokens')) == 0 then
    if token == '' then return nil end
    return 'slot-unclaimed'
  end
  if token == '' then return 'token-missing' end
  local held = holder(party)
  if held == token then return nil end
  if held then return 'token-wrong' end
  return 'slot-unclaimed'
end

-- The payload of a mailbox frame as held: "<seq>:" .. payload.
local function payloadOf(member) return string.sub(member, string.find(member, ':', 1, true) + 1) end
-- What a held frame (member) and a queued message count against the caps.
local function frameSize(member) return #payloadOf(member) + ITEM end
local function messageSize(message) return #message + ITEM end

-- Deletes the queue or mailbox direction id (a member of the set setName, held under
-- prefix .. id), freeing the bytes of its items as measured by size.
local function dropHeld(setName, prefix, id, items, size)
  local bytes = 0
  for _, item in ipairs(items) do bytes = bytes + size(item) end
  redis.call('DEL', key(s, prefix .. id))
  redis.call('SREM', key(s, setName), id)
  account(-bytes)
end

-- A new holder of the slot of party starts afresh: the messages queued to it (what an earlier
-- holder left unread) and its mailbox directions, both ways, are dropped. A holder that left
-- and claims its slot again with the same token (say, a delayed copy of its join) is still in
-- the same run: the frames it sent stay for their receivers.
local function startAfresh(party, rejoining)
  for _, id in ipairs(redis.call('SMEMBERS', key(s, 'queues'))) do
    if string.match(id, ':(%d+)$') == party then dropHeld('queues', 'q:', id, redis.call('LRANGE', key(s, 'q:' .. id), 0, -1), messageSize) end
  end
  for _, dir in ipairs(redis.call('SMEMBERS', key(s, 'mail'))) do
    local from, to = string.match(dir, '^(%d+):(%d+)$')
    if to == party or (from == party and not rejoining) then
      dropHeld('mail', 'm:', dir, redis.call('ZRANGE', key(s, 'm:' .. dir), 0, -1), frameSize)
    end
  end
  for _, dir in ipairs(redis.call('HKEYS', key(s, 'acked'))) do
    local from, to = string.match(dir, '^(%d+):(%d+)$')
    if to == party or (from == party and not rejoining) then
      redis.call('HDEL', key(s, 'acked'), dir)
      account(-ITEM)
    end
  end
end
`;

function script(body: string): string {
	return `${PREAMBLE}\n${body}`;
}

/** ARGV[6] party, [7] max sessions, [8] token hash ('' = none), [9] slot lease (ms). */
export const JOIN = script(`
local party, token = ARGV[6], ARGV[8]
local exists = live()
local held = exists and holder(party)
if token == '' then
  local refused = slotRefusal(exists, party, token)
  if refused then return refused end
elseif held and held ~= token then
  local last = redis.call('HGET', key(s, 'parties'), party)
  if last and now - tonumber(last) <= tonumber(ARGV[9]) then return 'slot-taken' end
end
local refused = admit(exists, 0, math.huge, math.huge, tonumber(ARGV[7]))
if refused then return refused end
if token ~= '' and held ~= token then
  local rejoining = exists and redis.call('HGET', key(s, 'tokens'), party) == '-' .. token
  redis.call('HSET', key(s, 'tokens'), party, token)
  startAfresh(party, rejoining)
end
local seen = redis.call('HGET', key(s, 'parties'), party)
redis.call('HSET', key(s, 'parties'), party, now)
if not seen or now - tonumber(seen) > RETURNED_AFTER then redis.call('PUBLISH', P .. 'wake', s .. '/participants') end
refresh()
return 'ok'
`);

/** ARGV[6] party, [7] token hash ('' = none). */
export const LEAVE = script(`
local party = ARGV[6]
local exists = live()
local refused = slotRefusal(exists, party, ARGV[7])
if refused then return refused end
if exists then
  if redis.call('HDEL', key(s, 'parties'), party) == 1 then redis.call('PUBLISH', P .. 'wake', s .. '/participants') end
  if ARGV[7] ~= '' then redis.call('HSET', key(s, 'tokens'), party, '-' .. ARGV[7]) end
  -- It will not read them: the frames to it go now rather than with the session (their acknowledged numbers stay).
  for _, dir in ipairs(redis.call('SMEMBERS', key(s, 'mail'))) do
    if string.match(dir, ':(%d+)$') == party then
      dropHeld('mail', 'm:', dir, redis.call('ZRANGE', key(s, 'm:' .. dir), 0, -1), frameSize)
    end
  end
  refresh()
end
return 'ok'
`);

/** ARGV[6] '1': only the parties whose slot a token holds. Returns the flat list party, last seen, party, last seen … */
export const PARTICIPANTS = script(`
if not live() then return {} end
refresh()
local all = redis.call('HGETALL', key(s, 'parties'))
if ARGV[6] ~= '1' then return all end
local claimed = {}
for i = 1, #all, 2 do
  if holder(all[i]) then
    claimed[#claimed + 1] = all[i]
    claimed[#claimed + 1] = all[i + 1]
  end
end
return claimed
`);

/** ARGV[6] from, [7] to, [8] message, [9] max session bytes, [10] max total bytes, [11] max sessions, [12] token hash of from ('' = none). */
export const PUSH = script(`
local message = ARGV[8]
local exists = live()
local refused = slotRefusal(exists, ARGV[6], ARGV[12]) or admit(exists, messageSize(message), tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]))
if refused then return refused end
local id = ARGV[6] .. ':' .. ARGV[7]
redis.call('RPUSH', key(s, 'q:' .. id), message)
redis.call('SADD', key(s, 'queues'), id)
account(messageSize(message))
seen(ARGV[6])
refresh()
redis.call('PUBLISH', P .. 'wake', s .. '/' .. ARGV[6] .. '/' .. ARGV[7])
return 'ok'
`);

/** ARGV[6] from, [7] to, [8] token hash of to ('' = none). Returns the oldest message, nil, or { 'refused', why }. */
export const TAKE = script(`
local exists = live()
local refused = slotRefusal(exists, ARGV[7], ARGV[8])
if refused then return { 'refused', refused } end
if not exists then return false end
local id = ARGV[6] .. ':' .. ARGV[7]
local message = redis.call('LPOP', key(s, 'q:' .. id))
if message then
  account(-messageSize(message))
  if redis.call('EXISTS', key(s, 'q:' .. id)) == 0 then redis.call('SREM', key(s, 'queues'), id) end
end
seen(ARGV[7])
refresh()
return message
`);

/** ARGV[6] from, [7] to, [8] message. Puts a taken message back at the front, ignoring caps. */
export const PUT_BACK = script(`
if not live() then redis.call('ZADD', SESSIONS, now, s) end
local id = ARGV[6] .. ':' .. ARGV[7]
redis.call('LPUSH', key(s, 'q:' .. id), ARGV[8])
redis.call('SADD', key(s, 'queues'), id)
account(messageSize(ARGV[8]))
refresh()
redis.call('PUBLISH', P .. 'wake', s .. '/' .. ARGV[6] .. '/' .. ARGV[7])
return 'ok'
`);

/**
 * ARGV[6] party, [7] its token hash ('' = none), [8] max session bytes, [9] max total bytes,
 * [10] max sessions, [11] most answer bytes, [12] a fresh epoch (used if the mailbox has none),
 * [13] the senders to answer frames from as ',1,2,' ('' = anyone), [14] n = number of acks,
 * then n pairs (from, seq), then triples (to, seq, payload).
 * Returns { 'refused', why } or { 'ok', epoch, more (0/1), from, seq, payload, … }.
 */
export const EXCHANGE = script(`
local party, token = ARGV[6], ARGV[7]
local exists = live()
local refused = slotRefusal(exists, party, token) or (not exists and admit(false, 0, math.huge, math.huge, tonumber(ARGV[10])))
if refused then return { 'refused', refused } end
local ACKED, MAIL = key(s, 'acked'), key(s, 'mail')
local function held(dir) return key(s, 'm:' .. dir) end
local function acked(dir) return tonumber(redis.call('HGET', ACKED, dir) or '0') end
seen(party)

-- Only directions that hold or held frames: an acknowledgement of nothing leaves no record behind.
local acks = tonumber(ARGV[14])
for i = 0, acks - 1 do
  local dir, seq = ARGV[15 + 2 * i] .. ':' .. party, tonumber(ARGV[16 + 2 * i])
  if redis.call('HEXISTS', ACKED, dir) == 1 and seq > acked(dir) then
    redis.call('HSET', ACKED, dir, seq)
    local bytes = 0
    for _, member in ipairs(redis.call('ZRANGEBYSCORE', held(dir), '-inf', seq)) do bytes = bytes + frameSize(member) end
    redis.call('ZREMRANGEBYSCORE', held(dir), '-inf', seq)
    if redis.call('EXISTS', held(dir)) == 0 then redis.call('SREM', MAIL, dir) end
    account(-bytes)
  end
end

local fresh, bytes, taken, newDirs = {}, 0, {}, {}
for i = 15 + 2 * acks, #ARGV, 3 do
  local to, seq, payload = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
  local dir = party .. ':' .. to
  if not taken[dir .. ':' .. seq] and seq > acked(dir) and redis.call('ZCOUNT', held(dir), seq, seq) == 0 then
    taken[dir .. ':' .. seq] = true
    fresh[#fresh + 1] = { dir = dir, seq = seq, payload = payload, to = to }
    bytes = bytes + #payload + ITEM
    if not newDirs[dir] and redis.call('HEXISTS', ACKED, dir) == 0 then
      newDirs[dir] = true
      bytes = bytes + ITEM
    end
  end
end
if #fresh > 0 then
  refused = admit(true, bytes, tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]))
  if refused then
    refresh()
    return { 'refused', refused }
  end
  local woken = {}
  for dir in pairs(newDirs) do redis.call('HSET', ACKED, dir, 0) end
  for _, frame in ipairs(fresh) do
    redis.call('ZADD', held(frame.dir), frame.seq, frame.seq .. ':' .. frame.payload)
    redis.call('SADD', MAIL, frame.dir)
    woken[frame.to] = true
  end
  account(bytes)
  for to in pairs(woken) do redis.call('PUBLISH', P .. 'wake', s .. '/*/' .. to) end
end

local epoch = redis.call('GET', key(s, 'epoch'))
if not epoch then
  epoch = ARGV[12]
  redis.call('SET', key(s, 'epoch'), epoch)
end
local reply = { 'ok', epoch, '0' }
local senders = {}
for _, dir in ipairs(redis.call('SMEMBERS', MAIL)) do
  local from, to = string.match(dir, '^(%d+):(%d+)$')
  local wanted = ARGV[13] == '' or string.find(ARGV[13], ',' .. from .. ',', 1, true)
  if to == party and wanted then senders[#senders + 1] = { from = tonumber(from), dir = dir, next = acked(dir) + 1 } end
end
table.sort(senders, function(a, b) return a.from < b.from end)
local most, answered, progress = tonumber(ARGV[11]), 0, true
while progress and reply[3] == '0' do
  progress = false
  for _, sender in ipairs(senders) do
    local member = redis.call('ZRANGEBYSCORE', held(sender.dir), sender.next, sender.next, 'LIMIT', 0, 1)[1]
    if member then
      local payload = payloadOf(member)
      if most == 0 or (#reply > 3 and (answered + FRAME_HEADER + #payload > most or (#reply - 3) / 3 == MAX_FRAMES)) then
        reply[3] = '1'
        break
      end
      reply[#reply + 1] = tostring(sender.from)
      reply[#reply + 1] = tostring(sender.next)
      reply[#reply + 1] = payload
      answered = answered + FRAME_HEADER + #payload
      sender.next = sender.next + 1
      progress = true
    end
  end
end
refresh()
return reply
`);

/** ARGV[6] info, [7] max session bytes, [8] max total bytes, [9] max sessions. */
export const PUT_INFO = script(`
local info = ARGV[6]
local exists = live()
if exists then
  local current = redis.call('GET', key(s, 'info'))
  if current then
    refresh()
    if current == info then return 'unchanged' end
    return 'conflict'
  end
end
local refused = admit(exists, #info, tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]))
if refused then return refused end
redis.call('SET', key(s, 'info'), info)
account(#info)
refresh()
return 'stored'
`);

/** Returns the info blob or nil. */
export const GET_INFO = script(`
if not live() then return false end
refresh()
return redis.call('GET', key(s, 'info'))
`);

/** ARGV[6] most sessions to delete. Returns how many expired sessions were deleted. */
export const SWEEP = script(`
return purge(tonumber(ARGV[6]))
`);
