-- wrk -s post-100b.lua: POST a 100-byte event to /stores/bench/streams/s-<n> (64 streams).
wrk.method = "POST"
wrk.body = string.rep("x", 100)
wrk.headers["Content-Type"] = "application/octet-stream"
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "/stores/bench/streams/s-" .. (counter % 64))
end
