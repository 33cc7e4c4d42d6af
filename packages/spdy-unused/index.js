/*
 * restify 11 loads `spdy` when it starts, for its `spdy` server option (HTTP/2 over SPDY), which
 * this bot never uses. The real spdy loads http-deceiver, whose process.binding('http_parser')
 * throws "No such module: http_parser" on Node 24 and prints DEP0111 on Node 20 and 22. The root
 * package.json's `overrides` puts this package in its place: restify loads, and asking for a spdy
 * server fails at once and says why.
 */
function createServer() {
  throw new Error("spdy is not installed (packages/spdy-unused stands in for it): restify's `spdy` option is not supported.");
}

module.exports = { createServer };
