-- wrk script: GET each of these 34 dashboard requests in turn (scripts/load-test.sh)
local paths = {
  "/api/series?period=month&by=quad",
  "/api/series?period=week&by=quad",
  "/api/series?period=day&by=quad",
  "/api/series?period=week&by=recipient&actor=RUS&quad=4&from=2023-01-01&to=2023-12-31",
  "/api/series?period=week&by=quad&actor=USA",
  "/api/series?period=week&by=quad&actor=CHN",
  "/api/series?period=week&by=quad&actor=RUS",
  "/api/series?period=week&by=quad&actor=UKR",
  "/api/series?period=week&by=quad&actor=ISR",
  "/api/series?period=week&by=quad&actor=IRN",
  "/api/series?period=week&by=quad&actor=GBR",
  "/api/series?period=week&by=quad&actor=FRA",
  "/api/series?period=week&by=quad&actor=DEU",
  "/api/series?period=week&by=quad&actor=IND",
  "/api/series?period=month&by=type&recipient=USA",
  "/api/series?period=month&by=type&recipient=CHN",
  "/api/series?period=month&by=type&recipient=RUS",
  "/api/series?period=month&by=type&recipient=UKR",
  "/api/series?period=month&by=type&recipient=ISR",
  "/api/series?period=month&by=type&recipient=IRN",
  "/api/series?period=month&by=type&recipient=GBR",
  "/api/series?period=month&by=type&recipient=FRA",
  "/api/series?period=month&by=type&recipient=DEU",
  "/api/series?period=month&by=type&recipient=IND",
  "/api/series?period=month&by=quad&either=USA&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=CHN&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=RUS&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=UKR&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=ISR&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=IRN&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=GBR&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=FRA&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=DEU&from=2022-01-01&to=2022-12-31",
  "/api/series?period=month&by=quad&either=IND&from=2022-01-01&to=2022-12-31",
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
