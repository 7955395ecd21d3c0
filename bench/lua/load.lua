-- The wrk script of bench/load.py: one target or the mixed run, figures on stdout.
--
--   wrk -t2 -c64 -d10s -s bench/lua/load.lua URL -- mode=get
--   ... -- mode=kudos ids=1,5,9 kudos=/works/{id}/kudos/ comment=/works/{id}/comments/new/
--   ... -- mode=mix ids=... kudos=... comment=... work=/works/7/ entire=... listing=... search=...
--
-- mode=get sends wrk's own static request (no Lua per request, so the load generator
-- costs least). mode=kudos and mode=comment post as a guest: while a thread has no
-- CSRF token yet, its connections GET the comment form of a work (Django sets the
-- csrftoken cookie and puts the form token in the page), then every request is a
-- POST with that cookie and token, to a work picked at random from `ids`. No
-- session cookie is kept, so each POST comes from a new guest. mode=mix picks each
-- request by the weights below (the POSTs as above).
--
-- done() prints "key value" lines that bench/load.py parses: requests, duration_us,
-- bytes, socket_errors, status_errors (wrk's count of statuses of 400 and above),
-- p50_us, p90_us, p99_us, then "status CODE N" (answers by status, "200-form-errors"
-- for a comment form shown again with its errors) and "kind NAME N" (requests sent
-- by kind; "csrf-page" counts the token page loads) when the mode is not get.

local WEIGHTS = {
  {"work", 60}, {"entire", 10}, {"listing", 15}, {"search", 10}, {"kudos", 3}, {"comment", 2},
}

local threads = {}
local options = {}
local ids = {}
local cookie, token
local sent = 0
statuses = {}
kinds = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local function count(table_, key)
  table_[key] = (table_[key] or 0) + 1
end

function init(args)
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if key then options[key] = value end
  end
  for id in (options.ids or ""):gmatch("%d+") do table.insert(ids, id) end
  local mode = options.mode or "get"
  if mode == "get" then
    request, response = nil, nil
  elseif #ids == 0 then
    error("mode=" .. mode .. " needs ids=")
  end
  math.randomseed(os.time() + 7919 * (thread_number or 0))
end

local function form_escape(text)
  return (text:gsub("[^%w%-%._~ ]", function(c)
    return string.format("%%%02X", string.byte(c))
  end):gsub(" ", "+"))
end

local function work_path(template)
  return (template:gsub("{id}", ids[math.random(#ids)]))
end

local function csrf_page()
  count(kinds, "csrf-page")
  return wrk.format("GET", (options.comment:gsub("{id}", ids[1])))
end

local function post(kind)
  if not token then return csrf_page() end
  count(kinds, kind)
  sent = sent + 1
  local fields = "csrfmiddlewaretoken=" .. token
  if kind == "comment" then
    local who = string.format("t%d-%d", thread_number or 0, sent)
    fields = fields
      .. "&guest_name=" .. form_escape("Load test reader " .. who)
      .. "&guest_email=" .. form_escape("reader-" .. who .. "@example.invalid")
      .. "&body=" .. form_escape(string.format(
        "Comment %s: the third scene stayed with me all day (%d).", who, math.random(1e9)))
  end
  return wrk.format("POST", work_path(options[kind]), {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }, fields)
end

function request()
  local mode = options.mode
  if mode == "kudos" or mode == "comment" then return post(mode) end
  local roll, total = math.random(100), 0
  for _, pair in ipairs(WEIGHTS) do
    total = total + pair[2]
    if roll <= total then
      local kind = pair[1]
      if kind == "kudos" or kind == "comment" then return post(kind) end
      count(kinds, kind)
      return wrk.format("GET", options[kind])
    end
  end
end

function response(status, headers, body)
  if not token and status == 200 then
    for name, value in pairs(headers) do
      if name:lower() == "set-cookie" then
        cookie = value:match("csrftoken=([%w]+)") or cookie
      end
    end
    local found = body:match('name="csrfmiddlewaretoken" value="([%w]+)"')
    if cookie and found then token = found end
  end
  local key = tostring(status)
  if status == 200 and body:find('class="error-summary"', 1, true) then
    key = "200-form-errors"
  end
  count(statuses, key)
end

local function merged(name)
  local all = {}
  for _, thread in ipairs(threads) do
    for key, value in pairs(thread:get(name) or {}) do all[key] = (all[key] or 0) + value end
  end
  return all
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("duration_us %d\n", summary.duration))
  io.write(string.format("bytes %d\n", summary.bytes))
  io.write(string.format("socket_errors %d\n",
    errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("status_errors %d\n", errors.status))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("p%d_us %d\n", p, latency:percentile(p)))
  end
  for key, value in pairs(merged("statuses")) do
    io.write(string.format("status %s %d\n", key, value))
  end
  for key, value in pairs(merged("kinds")) do
    io.write(string.format("kind %s %d\n", key, value))
  end
end
