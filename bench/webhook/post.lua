-- wrk script: POST pre-signed webhooks, cycling through HOOKS_N bodies in HOOKS_DIR.
local dir = os.getenv("HOOKS_DIR")
local n = tonumber(os.getenv("HOOKS_N"))
local path = os.getenv("HOOK_PATH")
local bodies, sigs = {}, {}
for i = 0, n - 1 do
  local f = assert(io.open(dir .. "/body-" .. i .. ".json", "rb")); bodies[i] = f:read("*a"); f:close()
  local g = assert(io.open(dir .. "/sig-" .. i .. ".txt", "rb")); sigs[i] = g:read("*a"); g:close()
end
local counter = 0
function setup(thread) thread:set("offset", counter * 7919); counter = counter + 1 end
local i = 0
request = function()
  local k = (i + (offset or 0)) % n
  i = i + 1
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["x-adobe-commerce-webhook-signature"] = sigs[k],
  }, bodies[k])
end
