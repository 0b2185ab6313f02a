// A real OpenID Connect provider on loopback for the sign-in tests (oauth2-mock-server from npm).
// Usage: node provider.mjs <port> <control-port>. The control port sets who signs in next:
// GET /next-user?email=iaf@kommun.se
import http from 'node:http';
// installed by `make test` under .cache/npm (npm registry), not in the repository
const { OAuth2Server, Events } = await import(
  new URL('../../.cache/npm/node_modules/oauth2-mock-server/dist/index.mjs', import.meta.url));

const [port, controlPort] = process.argv.slice(2).map(Number);
let nextUser = 'lasare@kommun.se';
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on(Events.BeforeTokenSigning, (token) => {
  token.payload.sub = nextUser;
  token.payload.email = nextUser;
  token.payload.email_verified = true;
  token.payload.name = nextUser;
});
await server.start(port, '127.0.0.1');
server.issuer.url = `http://127.0.0.1:${port}`;  // one loopback address for browser and app
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/next-user') nextUser = url.searchParams.get('email');
  res.end(nextUser);
}).listen(controlPort, '127.0.0.1', () => console.log(`ready ${server.issuer.url}`));
