package load

import "testing"

func TestNearMiss(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"x.MD", "x.md"},
		{"x.Md", "x.md"},
		{"x.markdown", "x.md"},
		{"x.MARKDOWN", "x.md"},
		{"x.mdx", "x.md"},
		{"x.md.txt", "x.md"},
		{"x.mkd", "x.md"},
		{"x.mdown", "x.md"},
		{"acme-7b.Markdown", "acme-7b.md"},
		// Not near misses: other files, and names that are only an
		// extension.
		{"x.txt", ""},
		{"x.yaml", ""},
		{"x.md~", ""},
		{"x.md.bak", ""},
		{"README", ""},
		{".MD", ""},
		{"md", ""},
		{"", ""},
	} {
		if got := nearMiss(tt.in); got != tt.want {
			t.Errorf("nearMiss(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
