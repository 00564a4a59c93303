-- wrk script: every request a new filter, as analysts exploring a store send them, so that
-- no two requests are alike and no answer cache can help (scripts/load-test.sh).
-- ENDPOINT=series|events. Filters: a random date range (half the requests), and one of:
-- none, actor, recipient, either side, actor and recipient, quad, type, country, actor and
-- quad, type and country. Series: period day/week/month, by quad/type/none. Events: 50 a
-- page, half of them deep pages (a cursor at a random date of the range).
-- ENDPOINT=series|events, PAUSE_MS as below.
local endpoint = os.getenv("ENDPOINT") or "series"
-- PAUSE_MS: each connection waits this long after an answer before its next request (a
-- person reading the answer); 0 sends the next at once (the server saturated).
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
local codes = { "USA", "CHN", "RUS", "UKR", "ISR", "IRN", "GBR", "FRA", "DEU", "IND", "PAK",
  "JPN", "KOR", "PRK", "TUR", "SYR", "IRQ", "SAU", "EGY", "NGA", "ZAF", "BRA", "MEX", "VEN",
  "COL", "AFG", "ETH", "SDN", "SOM", "KEN", "PHL", "VNM", "IDN", "MMR", "THA", "POL", "ITA",
  "ESP", "CAN", "AUS", "IGO", "UNO", "EUR", "NGO" }
local types = { "CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "DEMAND", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT" }
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(1000 + (id or 0))
end

local function pick(t) return t[math.random(#t)] end

-- A date `d` days after 2020-01-01 (the synthetic store spans six years from there).
local function day(d) return os.date("!%Y-%m-%d", 1577836800 + d * 86400) end

local function filter()
  local f = {}
  local from, to = 0, 6 * 365
  if math.random() < 0.5 then
    from = math.random(0, 6 * 365 - 7)
    to = math.min(6 * 365, from + math.random(7, 720))
    f[#f + 1] = "from=" .. day(from) .. "&to=" .. day(to)
  end
  local kind = math.random(10)
  if kind == 2 then f[#f + 1] = "actor=" .. pick(codes)
  elseif kind == 3 then f[#f + 1] = "recipient=" .. pick(codes)
  elseif kind == 4 then f[#f + 1] = "either=" .. pick(codes)
  elseif kind == 5 then f[#f + 1] = "actor=" .. pick(codes) .. "&recipient=" .. pick(codes)
  elseif kind == 6 then f[#f + 1] = "quad=" .. math.random(4)
  elseif kind == 7 then f[#f + 1] = "type=" .. pick(types)
  elseif kind == 8 then f[#f + 1] = "country=" .. pick(codes)
  elseif kind == 9 then f[#f + 1] = "actor=" .. pick(codes) .. "&quad=" .. math.random(4)
  elseif kind == 10 then f[#f + 1] = "type=" .. pick(types) .. "&country=" .. pick(codes)
  end
  return f, from, to
end

request = function()
  local f, from, to = filter()
  if endpoint == "series" then
    f[#f + 1] = "period=" .. pick({ "week", "week", "week", "month", "month", "day" })
    f[#f + 1] = "by=" .. pick({ "quad", "quad", "quad", "type", "none" })
  else
    f[#f + 1] = "limit=50"
    if math.random() < 0.5 then
      f[#f + 1] = "after=" .. day(math.random(from, to)) .. "%7Csyn"
    end
  end
  return wrk.format("GET", "/api/" .. endpoint .. "?" .. table.concat(f, "&"))
end

if pause > 0 then
  delay = function() return pause end
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if errors <= 3 then print(status, body) end
  end
end

-- wrk prints p50, p75, p90 and p99; p95 is asked here.
done = function(summary, latency, requests)
  io.write(string.format("     95%% %8.2fms (varied.lua)\n", latency:percentile(95) / 1000))
end
