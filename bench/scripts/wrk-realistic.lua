-- wrk's share of realistic.js: the login POST and the list GET in turn, as
-- raw requests (wrk parses no JSON and checks nothing).
local n = 0
local login = wrk.format("POST", "/login", { ["Content-Type"] = "application/json" }, '{"user":"ann","password":"s3cret"}')
local list = wrk.format("GET", "/items", { ["Authorization"] = "Bearer 4f1c2e0a9b8d7c6e5f4a3b2c1d0e9f8a" })

request = function()
  n = n + 1
  if n % 2 == 1 then
    return login
  end
  return list
end
