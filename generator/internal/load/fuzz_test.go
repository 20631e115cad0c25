package load_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// FuzzParse feeds Parse and ParseYAML arbitrary files. Neither may panic,
// and every position either reports must lie inside the file.
func FuzzParse(f *testing.F) {
	// Seed with every fixture: each archive whole, and each file in it.
	var fixtures []string
	for _, pattern := range []string{
		"testdata/*.md",
		"../check/testdata/*.txtar",
		"../check/testdata/errors/*.txtar",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		fixtures = append(fixtures, m...)
	}
	if len(fixtures) == 0 {
		f.Fatal("no fixtures to seed from")
	}
	for _, name := range fixtures {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		if strings.HasSuffix(name, ".txtar") {
			for _, file := range txtar.Parse(data).Files {
				f.Add(file.Data)
			}
		}
	}

	const file = "content/releases/acme/fuzz.md"
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			lines++
		}
		inside := func(what string, p load.Pos) {
			if p.File != file || p.Line < 1 || p.Line > lines+1 || p.Col < 1 {
				t.Errorf("%s at %s: outside %q (%d lines)", what, p, data, lines)
			}
		}
		parse := func(v any, doc *load.Doc) {
			for _, p := range load.Parse(file, data, v) {
				inside("problem "+p.Msg, p.Pos)
			}
			for path, p := range doc.At.All() {
				inside("field "+path, p)
			}
			if doc.Unread && doc.At.Len() > 0 {
				t.Errorf("Unread, yet %d fields recorded", doc.At.Len())
			}
		}
		var r load.Release
		parse(&r, &r.Doc)
		var b load.Bucket
		parse(&b, &b.Doc)
		var s load.Site
		for _, p := range load.ParseYAML(file, data, &s) {
			inside("problem "+p.Msg, p.Pos)
		}
		for path, p := range s.At.All() {
			inside("site field "+path, p)
		}
	})
}
