-- Prints the figures bench/http_bench.py reads: one "key value" pair per line.
done = function(summary, latency, requests)
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("duration_us %d\n", summary.duration))
  io.write(string.format("errors %d\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d_us %d\n", p, latency:percentile(p)))
  end
end
