// Drives the npm `cronofy` package (3.8.4) against a fake, for tests/test_cronofy_node.py.
// Nothing of the SDK is changed but its API URL (`urls.api`). Prints JSON of what it saw.
//   node cronofy_node_channels.js subscribe BASE_URL ACCESS_TOKEN CALLBACK_URL
//   node cronofy_node_channels.js verify CLIENT_SECRET   (header and body on stdin, as JSON)
//   node cronofy_node_channels.js close BASE_URL ACCESS_TOKEN CHANNEL_ID
const Cronofy = require("cronofy");

function client(base, token) {
  const c = new Cronofy({ access_token: token });
  c.urls.api = base;
  return c;
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === "subscribe") {
    const [base, token, callback] = args;
    const c = client(base, token);
    const created = await c.createNotificationChannel({ callback_url: callback });
    return { created, listed: await c.listNotificationChannels({}) };
  }
  if (mode === "verify") {
    const given = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const c = new Cronofy({});
    const valid = c.hmacValid({ hmac: given.hmac, body: given.body, client_secret: args[0] });
    const wrong = c.hmacValid({ hmac: given.hmac, body: given.body, client_secret: "nope" });
    return { valid, wrong };
  }
  const [base, token, channelId] = args;
  const c = client(base, token);
  await c.deleteNotificationChannel({ channel_id: channelId });
  return { after: await c.listNotificationChannels({}) };
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
