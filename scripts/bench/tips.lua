-- wrk script of scripts/bench-tips.sh: POSTs the tip form as the browser sends it
-- (multipart/form-data, an empty file part), each request with the next proof-of-work
-- solution of a file written by the `bench_tokens` example.
--
-- wrk -s tips.lua URL -- TOKENS_FILE THREADS once|cycle
--   once:  each solution is sent once (valid tips); past the end of its share a thread
--          repeats its last one, which the endpoint refuses as a replay (counted in done).
--   cycle: the solutions are sent round and round (an invalid-captcha flood).

local boundary = "----xeberdar-bench-7d1f"
local content_type = "multipart/form-data; boundary=" .. boundary
local thread_count = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name ..
    "\"\r\n\r\n" .. value .. "\r\n"
end

local function body(pow, n)
  return part("lang", "en") .. part("kind", "suspicious_offer") .. part("city", "Baku") ..
    part("description", "Bench tip " .. n ..
      ": a recruiter offers work abroad and keeps the passports.") ..
    part("pow", pow) .. part("no_js_answer", "") ..
    "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"attachment\"; " ..
    "filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--" ..
    boundary .. "--\r\n"
end

function init(args)
  local path, nthreads = args[1], tonumber(args[2])
  cycle = args[3] == "cycle"
  tokens = {}
  local i = 0
  for line in io.lines(path) do
    if line ~= "" then
      if i % nthreads == id then tokens[#tokens + 1] = line end
      i = i + 1
    end
  end
  sent = 0
  headers = { ["Content-Type"] = content_type }
end

function request()
  sent = sent + 1
  local pow
  if cycle then
    pow = tokens[(sent - 1) % #tokens + 1]
  else
    pow = tokens[sent] or tokens[#tokens]
  end
  return wrk.format("POST", nil, headers, body(pow, sent))
end

function done(summary, latency, requests)
  local had, used, cycled = 0, 0, false
  for _, t in ipairs(threads) do
    cycled = t:get("cycle")
    had = had + #t:get("tokens")
    used = used + t:get("sent")
  end
  io.write(string.format("solutions: %d sent of %d%s\n", used, had,
    (not cycled and used > had) and " (the rest were replays)" or ""))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
