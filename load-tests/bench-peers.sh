# Peers for run-benchmark.sh (sourced after it set WORK, FAKE_URL, log, await_line and the pinning
# prefixes PIN_GATEWAY / PIN_REST): a plain nginx reverse proxy, the floor, and Portkey's gateway,
# both in front of the same fake provider, both pinned like the node. Installed by
# load-tests/install-peers.sh; a missing one is reported and skipped.
# Each start_* sets <NAME>_URL (base URL) and <NAME>_PID (the process whose CPU is the peer's).

NGINX_PID=""
NGINX_MASTER_PID=""
NGINX_URL=""
PORTKEY_PID=""
PORTKEY_URL=""
PORTKEY_DIR="$ROOT/load-tests/target/peers/portkey"

# A free TCP port on 127.0.0.1: the kernel's pick, read back through bash's /dev/tcp is not possible,
# so this tries random ports in the ephemeral range until nothing answers there.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# nginx: one worker, keep-alive connections to the fake, no buffering of streamed answers, no
# access log; config, pid, logs and temp files under $WORK/nginx.
start_nginx() {
  local bin
  bin="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
  [[ -x "$bin" ]] || { log "nginx not installed (load-tests/install-peers.sh): measured without it"; return 0; }
  local dir="$WORK/nginx" port upstream="${FAKE_URL#http://}"
  port="$(free_port)" || { log "no free port for nginx"; return 0; }
  rm -rf "$dir"
  mkdir -p "$dir/tmp"
  cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
user root;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  upstream fake {
    server $upstream;
    keepalive 128;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
  $PIN_GATEWAY "$bin" -c "$dir/nginx.conf" > "$dir/stdout" 2>&1 &
  NGINX_MASTER_PID=$!
  local deadline=$((SECONDS + 20))
  while (( SECONDS < deadline )); do
    NGINX_PID="$(pgrep -P "$NGINX_MASTER_PID" 2>/dev/null | head -1 || true)"
    if [[ -n "$NGINX_PID" ]] && curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/_fake/health"; then
      NGINX_URL="http://127.0.0.1:$port"
      log "nginx $("$bin" -v 2>&1 | sed 's/.*\///') at $NGINX_URL (worker pid $NGINX_PID)"
      return 0
    fi
    kill -0 "$NGINX_MASTER_PID" 2>/dev/null || break
    sleep 0.2
  done
  log "nginx did not start (see $dir/stdout, $dir/error.log): measured without it"
  NGINX_PID=""
}

# Portkey 1.15.2 on Node.js, headless (no console UI), on a free port.
start_portkey() {
  local server="$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" port
  if [[ ! -f "$server" ]] || ! command -v node >/dev/null 2>&1; then
    log "Portkey not installed (load-tests/install-peers.sh): measured without it"
    return 0
  fi
  port="$(free_port)" || { log "no free port for Portkey"; return 0; }
  (cd "$PORTKEY_DIR" && NODE_ENV=production exec $PIN_GATEWAY node "$server" --port="$port" --headless) \
    > "$WORK/portkey.out" 2>&1 &
  PORTKEY_PID=$!
  local deadline=$((SECONDS + 60))
  while (( SECONDS < deadline )); do
    if curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/"; then
      PORTKEY_URL="http://127.0.0.1:$port"
      log "Portkey at $PORTKEY_URL (pid $PORTKEY_PID)"
      return 0
    fi
    kill -0 "$PORTKEY_PID" 2>/dev/null || break
    sleep 0.3
  done
  log "Portkey did not start (see $WORK/portkey.out): measured without it"
  kill -TERM "$PORTKEY_PID" 2>/dev/null || true
  PORTKEY_PID=""
}

stop_peers() {
  local pid
  for pid in "$PORTKEY_PID" "$NGINX_MASTER_PID"; do
    [[ -n "$pid" ]] || continue
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# The benchmark's options for the peers that started, and their pids for the CPU accounting.
peer_args() {
  [[ -n "$NGINX_URL" ]] && echo "--peer nginx=$NGINX_URL"
  [[ -n "$PORTKEY_URL" ]] && echo "--peer portkey=$PORTKEY_URL --peer-header portkey=x-portkey-provider:openai" \
    "--peer-header portkey=x-portkey-custom-host:$FAKE_URL/v1"
  return 0
}
peer_cpu() {
  [[ -n "$NGINX_PID" ]] && printf ',nginx=%s' "$NGINX_PID"
  [[ -n "$PORTKEY_PID" ]] && printf ',portkey=%s' "$PORTKEY_PID"
  return 0
}
