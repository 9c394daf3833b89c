-- submit.lua: the wrk script of tests/bench/run. Every request is one
-- respondent submitting a complete answer, as a browser posts it:
--   POST /s/TOKEN, application/x-www-form-urlencoded, a body from BODIES.
--
-- wrk -s submit.lua URL -- TOKENS BODIES NTHREADS MODE SECONDS
--   TOKENS    one token a line; wrk thread i of NTHREADS takes the lines
--             whose index modulo NTHREADS is i, so no token is sent twice
--   BODIES    one form body a line (bench_fill forms)
--   MODE      "once": each token once (the real server);
--             "cycle": tokens repeat (the empty-handler ceiling)
--   SECONDS   send no new request after this many seconds; run wrk for
--             about one second longer, so every request sent is answered
--             and counted before wrk stops (the run compares the count
--             with the database: a request cut off by wrk's stop would
--             be stored but not counted)
--
-- A submission counts when its answer is stored: the server answers 303
-- to the walk's thank-you page (a Location with no "&v=" step; a form
-- with problems redirects to a step); the empty handler of the ceiling
-- answers 200, which counts too. done()
-- prints one line:
--   RESULT ok=N other=N connect=N read=N write=N timeout=N exhausted=N
--          seconds=S rate=R p50=US p90=US p99=US max=US
-- where seconds runs from the first request sent to the last response
-- received and rate = ok / seconds; latencies are wrk's, in microseconds.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")
local FOREVER_MS = 3600 * 1000

local function now()
	ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
	return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

-- Setup environment (wrk's main Lua state): number the threads.
local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

-- Running environment: one per wrk thread.
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local toks, bodies, n_toks, n_bodies, is_cycle, soft
local next_tok, reserved, bi, deadline = 1, 0, 1, nil

function init(args)
	local i, nthreads = 0, tonumber(args[3])

	toks, bodies = {}, {}
	for line in io.lines(args[1]) do
		if line ~= "" and i % nthreads == tid then
			toks[#toks + 1] = line
		end
		if line ~= "" then
			i = i + 1
		end
	end
	for line in io.lines(args[2]) do
		if line ~= "" then
			bodies[#bodies + 1] = line
		end
	end
	n_toks, n_bodies = #toks, #bodies
	is_cycle = args[4] == "cycle"
	soft = tonumber(args[5])
	if n_toks == 0 or n_bodies == 0 or soft == nil then
		error("submit.lua: no tokens, no bodies or no SECONDS")
	end
	bi = (tid * 7919) % n_bodies + 1
	ok, other, exhausted, first, last = 0, 0, 0, 0, 0
end

-- Called before every request: holds a connection back for good once
-- the time is up or every token of this thread is taken.
function delay()
	local t = now()

	if deadline == nil then
		deadline = t + soft
	end
	if t >= deadline then
		return FOREVER_MS
	end
	if not is_cycle and reserved >= n_toks then
		exhausted = 1
		return FOREVER_MS
	end
	reserved = reserved + 1
	return 0
end

function request()
	local tok, body

	if toks == nil then
		-- wrk checks the script once in its main state, never sent.
		return wrk.format("POST", "/s/CHECK", headers, "lang=nl")
	end
	if first == 0 then
		first = now()
	end
	if next_tok > n_toks then
		next_tok = 1	-- cycle mode only: delay() keeps "once" within
	end
	tok = toks[next_tok]
	next_tok = next_tok + 1
	body = bodies[bi]
	bi = bi % n_bodies + 1
	return wrk.format("POST", "/s/" .. tok, headers, body)
end

function response(status, hdrs, body)
	local loc = hdrs["Location"] or ""
	if status == 200 or (status == 303 and loc:find("?w=", 1, true) and
	    not loc:find("&v=", 1, true)) then
		ok = ok + 1
	else
		other = other + 1
	end
	last = now()
end

function done(summary, latency, requests)
	local sum = { ok = 0, other = 0, exhausted = 0 }
	local t0, t1, seconds, e = nil, 0, 0, summary.errors

	for _, t in ipairs(threads) do
		sum.ok = sum.ok + t:get("ok")
		sum.other = sum.other + t:get("other")
		sum.exhausted = sum.exhausted + t:get("exhausted")
		local f, l = t:get("first"), t:get("last")
		if f > 0 and (t0 == nil or f < t0) then
			t0 = f
		end
		if l > t1 then
			t1 = l
		end
	end
	if t0 ~= nil and t1 > t0 then
		seconds = t1 - t0
	end
	io.write(string.format("RESULT ok=%d other=%d connect=%d read=%d " ..
	    "write=%d timeout=%d exhausted=%d seconds=%.3f rate=%.0f " ..
	    "p50=%d p90=%d p99=%d max=%d\n", sum.ok, sum.other, e.connect,
	    e.read, e.write, e.timeout, sum.exhausted, seconds,
	    seconds > 0 and sum.ok / seconds or 0,
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max))
end
