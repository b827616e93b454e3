/*
 * A minimal rule engine in C: the floor the live engine is measured against (docs/benchmarks-live.md).
 * It does the canonical workload's work and nothing else: subscribe to home/+/water, read each
 * PUBLISH ({"lpm": n, "seq": s}), and when lpm > 30 publish the seq to alerts/<meter>/water at the
 * subscription's QoS. One thread, blocking reads, one write per alert; no state, no durability.
 * It takes the engine's command line so that rate-load.sh can run it in the engine's place:
 *
 *   cc -O2 -o /tmp/c-engine samples/loadtest/c-engine.c -lpthread
 *   LOAD_ENGINE_CMD=/tmp/c-engine samples/loadtest/rate-load.sh 10 2000:1:0
 *
 * Reads --broker mqtt://HOST:PORT and --http HOST:PORT (answers 200 to anything there, for the
 * script's health wait) and MQTTRULES_SUBSCRIBE_QOS; ignores the rest.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int broker_fd;
static int qos;
static unsigned short next_id = 1;

static void die(const char *what) { perror(what); exit(1); }

static void write_all(const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(broker_fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) die("send");
        p += w; n -= (size_t)w;
    }
}

static size_t put_length(unsigned char *p, size_t len) {
    size_t i = 0;
    do { unsigned char b = len % 128; len /= 128; p[i++] = b | (len ? 128 : 0); } while (len);
    return i;
}

static void parse_addr(const char *s, struct sockaddr_in *a) {
    const char *hp = strstr(s, "://"); hp = hp ? hp + 3 : s;
    const char *colon = strrchr(hp, ':');
    if (!colon) { fprintf(stderr, "address without a port: %s\n", s); exit(2); }
    char host[64]; size_t hl = (size_t)(colon - hp); if (hl >= sizeof host) hl = sizeof host - 1;
    memcpy(host, hp, hl); host[hl] = 0;
    memset(a, 0, sizeof *a); a->sin_family = AF_INET; a->sin_port = htons((unsigned short)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) { fprintf(stderr, "not an IPv4 address: %s\n", host); exit(2); }
}

static void *http_ok(void *arg) {
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(l, (struct sockaddr *)arg, sizeof(struct sockaddr_in)) || listen(l, 8)) die("http");
    for (;;) {
        int c = accept(l, NULL, NULL); if (c < 0) continue;
        char req[1024]; (void)!read(c, req, sizeof req);
        static const char ok[] = "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
        (void)!write(c, ok, sizeof ok - 1); close(c);
    }
    return NULL;
}

/* the number after "key": in a JSON object, or -1 */
static double json_number(const unsigned char *p, size_t n, const char *key, size_t klen) {
    for (size_t i = 0; i + klen + 2 < n; i++) {
        if (p[i] == '"' && memcmp(p + i + 1, key, klen) == 0 && p[i + 1 + klen] == '"') {
            size_t j = i + klen + 2;
            while (j < n && (p[j] == ':' || p[j] == ' ')) j++;
            char num[32]; size_t k = 0;
            while (j < n && k < sizeof num - 1 && ((p[j] >= '0' && p[j] <= '9') || p[j] == '.' || p[j] == '-')) num[k++] = (char)p[j++];
            num[k] = 0;
            return k ? atof(num) : -1;
        }
    }
    return -1;
}

static void on_publish(unsigned char flags, const unsigned char *p, size_t n) {
    size_t tl = ((size_t)p[0] << 8) | p[1];
    const unsigned char *topic = p + 2;
    size_t off = 2 + tl;
    int q = (flags >> 1) & 3;
    if (q > 0) {
        unsigned char ack[4] = { 0x40, 2, p[off], p[off + 1] };
        off += 2;
        write_all(ack, 4);
    }
    const unsigned char *payload = p + off; size_t plen = n - off;
    double lpm = json_number(payload, plen, "lpm", 3);
    if (!(lpm > 30)) return;
    double seq = json_number(payload, plen, "seq", 3);
    /* home/<meter>/water -> alerts/<meter>/water */
    const unsigned char *m = memchr(topic, '/', tl); if (!m) return;
    const unsigned char *e = memchr(m + 1, '/', tl - (size_t)(m + 1 - topic)); if (!e) return;
    char out_topic[256]; int otl = snprintf(out_topic, sizeof out_topic, "alerts/%.*s/water", (int)(e - m - 1), m + 1);
    char body[32]; int bl = snprintf(body, sizeof body, "%.0f", seq);
    unsigned char pkt[512]; size_t rem = 2 + (size_t)otl + (qos ? 2 : 0) + (size_t)bl, i = 0;
    pkt[i++] = (unsigned char)(0x30 | (qos << 1));
    i += put_length(pkt + i, rem);
    pkt[i++] = (unsigned char)(otl >> 8); pkt[i++] = (unsigned char)otl;
    memcpy(pkt + i, out_topic, (size_t)otl); i += (size_t)otl;
    if (qos) { if (++next_id == 0) next_id = 1; pkt[i++] = (unsigned char)(next_id >> 8); pkt[i++] = (unsigned char)next_id; }
    memcpy(pkt + i, body, (size_t)bl); i += (size_t)bl;
    write_all(pkt, i);
}

int main(int argc, char **argv) {
    const char *broker = "mqtt://127.0.0.1:1883", *http = NULL;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--broker")) broker = argv[++i];
        else if (!strcmp(argv[i], "--http")) http = argv[++i];
    }
    const char *q = getenv("MQTTRULES_SUBSCRIBE_QOS"); qos = q ? atoi(q) : 0;
    static struct sockaddr_in b, h;
    parse_addr(broker, &b);
    broker_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1; setsockopt(broker_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(broker_fd, (struct sockaddr *)&b, sizeof b)) die("connect");
    char id[32]; int idl = snprintf(id, sizeof id, "c-engine-%d", (int)getpid());
    unsigned char pkt[128]; size_t i = 0;
    pkt[i++] = 0x10; pkt[i++] = (unsigned char)(10 + 2 + idl);
    memcpy(pkt + i, "\0\4MQTT\4\2\0\0", 10); i += 10; /* MQTT 3.1.1, clean session, no keep-alive */
    pkt[i++] = 0; pkt[i++] = (unsigned char)idl; memcpy(pkt + i, id, (size_t)idl); i += (size_t)idl;
    write_all(pkt, i);
    static const char filter[] = "home/+/water";
    i = 0; pkt[i++] = 0x82; pkt[i++] = (unsigned char)(2 + 2 + sizeof filter - 1 + 1);
    pkt[i++] = 0; pkt[i++] = 1; pkt[i++] = 0; pkt[i++] = (unsigned char)(sizeof filter - 1);
    memcpy(pkt + i, filter, sizeof filter - 1); i += sizeof filter - 1; pkt[i++] = (unsigned char)qos;
    write_all(pkt, i);
    if (http) { parse_addr(http, &h); pthread_t t; pthread_create(&t, NULL, http_ok, &h); }

    static unsigned char buf[1 << 16];
    size_t have = 0;
    for (;;) {
        ssize_t r = recv(broker_fd, buf + have, sizeof buf - have, 0);
        if (r <= 0) return r == 0 ? 0 : 1;
        have += (size_t)r;
        size_t pos = 0;
        for (;;) {
            if (have - pos < 2) break;
            size_t len = 0, mul = 1, k = pos + 1;
            while (k < have && (buf[k] & 128)) { len += (buf[k] & 127) * mul; mul *= 128; k++; }
            if (k >= have) break;
            len += (buf[k] & 127) * mul; k++;
            if (have - k < len) break;
            if ((buf[pos] >> 4) == 3) on_publish(buf[pos] & 15, buf + k, len);
            pos = k + len;
        }
        memmove(buf, buf + pos, have - pos); have -= pos;
    }
}
