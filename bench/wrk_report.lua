-- For wrk: at the end of a run, one line of JSON with the figures the benchmarks print, latencies in
-- microseconds. A cookie given with -H is sent on every connection; or WRK_COOKIES (one a line) gives
-- each wrk thread a cookie of its own (run with as many threads as connections: one person each).
local cookies = {}
for line in string.gmatch(os.getenv("WRK_COOKIES") or "", "[^\n]+") do cookies[#cookies + 1] = line end

local started = 0
function setup(thread)
  if #cookies > 0 then
    thread:set("cookie", cookies[started % #cookies + 1])
    started = started + 1
  end
end

if #cookies > 0 then
  local formatted
  function request()
    if not formatted then
      local headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      headers["Cookie"] = cookie
      formatted = wrk.format(nil, nil, headers)
    end
    return formatted
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, '
    .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "mean_us": %.1f, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency.mean, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
