-- wrk: POST the same JSON body on every request (scripts/bench sets BENCH_BODY).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"symbol":"BTCUSDT","limit":5}'
wrk.headers["Content-Type"] = "application/json"

-- Prints failed requests (answers >= 400 and socket errors), so refusals cannot pass for throughput.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("failed=%d\n", e.status + e.connect + e.read + e.write + e.timeout))
end
