package serve

import (
	"net"
	"path/filepath"
	"testing"
)

// TestAllowHosts: the names a server accepts depend on the address it was
// asked for and the one it listens on.
func TestAllowHosts(t *testing.T) {
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	all := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}
	for _, c := range []struct {
		asked string
		addr  net.Addr
		host  string
		ok    bool
	}{
		{"127.0.0.1", loop, "127.0.0.1:8080", true},
		{"127.0.0.1", loop, "localhost:8080", true},
		{"127.0.0.1", loop, "[::1]:8080", true},
		{"127.0.0.1", loop, "127.0.0.1:8081", false},
		{"127.0.0.1", loop, "192.168.1.5:8080", false},
		{"127.0.0.1", loop, "attacker.example:8080", false},
		{"127.0.0.1", loop, "localhost", false},
		{"127.0.0.1", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, "localhost", true},
		{"dev.local", loop, "dev.local:8080", true},
		{"dev.local", loop, "DEV.local:8080", true},
		{"", all, "192.168.1.5:8080", true},
		{"", all, "[fe80::1]:8080", true},
		{"", all, "attacker.example:8080", false},
		{"", all, "192.168.1.5:9090", false},
		{"0.0.0.0", &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "10.1.2.3:8080", true},
		{"0.0.0.0", &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "rebind.example:8080", false},
	} {
		if got := allowHosts(c.asked, c.addr).allow(c.host); got != c.ok {
			t.Errorf("asked for %q, listening on %s: Host %q allowed %v, want %v", c.asked, c.addr, c.host, got, c.ok)
		}
	}
}

// TestRelativizer: absolute paths under the site and beside the output
// lose their roots; other text is left alone.
func TestRelativizer(t *testing.T) {
	src := filepath.FromSlash("/home/me/site")
	out := filepath.FromSlash("/tmp/whyopen-serve-1/public")
	rz := newRelativizer(src, out)
	for in, want := range map[string]string{
		"no content directory: expected /home/me/site/content\n": "no content directory: expected content\n",
		"cannot read /home/me/site: permission denied":           "cannot read .: permission denied",
		"open /tmp/whyopen-serve-1/public/index.html: no space":  "open public/index.html: no space",
		"rename /tmp/whyopen-serve-1/.public.whyopen/x":          "rename .public.whyopen/x",
		"/home/me/site-old/content stays":                        "/home/me/site-old/content stays",
		"/x/home/me/site/content stays":                          "/x/home/me/site/content stays",
		"see https://example.com/home/me/site/":                  "see https://example.com/home/me/site/",
		`"/home/me/site/templates/base.html"`:                    `"templates/base.html"`,
	} {
		if filepath.Separator != '/' {
			continue
		}
		if got := rz.relative(in); got != want {
			t.Errorf("relative(%q) = %q, want %q", in, got, want)
		}
	}
}
