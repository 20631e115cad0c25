package check_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/scaffold"
)

// schemas compiles every kind's schema with an independent validator.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	for _, kind := range check.SchemaKinds() {
		b, err := check.Schema(kind)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b) {
			t.Fatalf("%s: not JSON:\n%s", kind, b)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		url := "https://example.org/schema/" + kind + ".json"
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		out[kind] = s
	}
	return out
}

// frontMatter returns the YAML between a content file's "---" lines.
func frontMatter(data []byte) ([]byte, error) {
	data = bytes.ReplaceAll(bytes.TrimPrefix(data, []byte("\ufeff")), []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(bytes.TrimLeft(data, "\n"), []byte("---\n"))
	if !ok {
		return nil, errors.New("no front matter")
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return nil, nil
	}
	i := bytes.Index(rest, []byte("\n---"))
	if i < 0 {
		return nil, errors.New("front matter never closed")
	}
	return rest[:i+1], nil
}

// instance converts YAML to the JSON value an editor's schema validator
// sees: timestamps stay text, as they do for yaml-language-server.
func instance(src []byte) (any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		return nil, err
	}
	if n.Kind == 0 {
		return map[string]any{}, nil
	}
	v, err := toJSON(&n)
	if err != nil {
		return nil, err
	}
	// Round-trip through JSON so numbers are what the validator expects.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func toJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		return toJSON(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := toJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := toJSON(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			return n.Value == "true", nil
		case "!!int", "!!float":
			return strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: cannot convert YAML node kind %d", n.Line, n.Kind)
}

var dirKinds = map[string]string{"releases": "release", "orgs": "org", "buckets": "bucket", "licenses": "license", "reports": "report"}

// TestSchemaShippedContent validates every file under the repository's
// content/ against the schema of its kind.
func TestSchemaShippedContent(t *testing.T) {
	sch := schemas(t)
	root := filepath.Join("..", "..", "..", "content")
	perKind := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var kind string
		var src []byte
		if rel == "site.yaml" {
			kind, src = "site", data
		} else if rel == "sources.yaml" {
			kind, src = "sources", data
		} else if strings.HasSuffix(rel, ".md") {
			kind = dirKinds[strings.SplitN(rel, "/", 2)[0]]
			if src, err = frontMatter(data); err != nil {
				t.Errorf("content/%s: %v", rel, err)
				return nil
			}
		}
		if kind == "" {
			return nil
		}
		v, err := instance(src)
		if err != nil {
			t.Errorf("content/%s: %v", rel, err)
			return nil
		}
		if err := sch[kind].Validate(v); err != nil {
			t.Errorf("content/%s does not match the %s schema: %v", rel, kind, err)
		}
		perKind[kind]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range check.SchemaKinds() {
		if perKind[kind] == 0 {
			t.Errorf("no %s file validated: is content/ where the test expects it?", kind)
		}
	}
	if perKind["release"] < 100 {
		t.Errorf("validated %d releases; the repository ships more than 100", perKind["release"])
	}
}

// TestSchemaRejects feeds each schema a broken file and wants it refused
// at the right place.
func TestSchemaRejects(t *testing.T) {
	sch := schemas(t)
	release := "title: Acme 7B\norg: acme\ndate: 2026-03-02\nlicense: apache-2.0\nsources: [https://example.org/acme-7b]\n"
	for _, tc := range []struct {
		name, kind, yaml string
		at               string // the instance location the error names
	}{
		{"unknown field", "release", release + "licence: mit\n", ""},
		{"missing required", "release", "title: Acme 7B\norg: acme\ndate: 2026-03-02\nsources: [https://example.org/x]\n", ""},
		{"required but empty", "release", strings.Replace(release, "license: apache-2.0", "license:", 1), "/license"},
		{"enum", "release", release + "architecture: transformer\n", "/architecture"},
		{"enum in a list", "release", release + "modality_in: [text, smell]\n", "/modality_in/1"},
		{"a retired field", "release", release + "modality: [text]\n", ""},
		{"bad date", "release", strings.Replace(release, "2026-03-02", "March 2026", 1), "/date"},
		{"bad count", "release", release + "params_total: lots\n", "/params_total"},
		{"negative count", "release", release + "params_total: -5\n", "/params_total"},
		{"bad context", "release", release + "context: 128 thousand\n", "/context"},
		{"not a URL", "release", strings.Replace(release, "https://example.org/acme-7b", "javascript:alert(1)", 1), "/sources/0"},
		{"no sources", "release", strings.Replace(release, "[https://example.org/acme-7b]", "[]", 1), "/sources"},
		{"placeholder source", "release", strings.Replace(release, "https://example.org/acme-7b", "TODO", 1), "/sources/0"},
		{"benchmark without score", "release", release + "benchmarks: [{name: MMLU}]\n", "/benchmarks/0"},
		{"bad link", "release", release + "links: {weights: ftp://example.org/w}\n", "/links/weights"},
		{"list as text", "release", release + "tags: reasoning\n", "/tags"},
		{"org kind", "org", "name: Acme\nkind: startup\ncountry: FR\n", "/kind"},
		{"org country", "org", "name: Acme\nkind: lab\ncountry: fr\n", "/country"},
		{"org state_backed", "org", "name: Acme\nkind: lab\ncountry: FR\nstate_backed: maybe\n", "/state_backed"},
		{"bucket colour", "bucket", "title: Makers\norder: 1\ncolor: blue\nquestion: Why?\n", "/color"},
		{"bucket order", "bucket", "title: Makers\norder: first\ncolor: \"#112233\"\nquestion: Why?\n", "/order"},
		{"signal fact", "bucket", "title: Makers\norder: 1\ncolor: \"#112233\"\nquestion: Why?\nsignals: [{fact: mood, in: [happy], weight: 1}]\n", "/signals/0/fact"},
		{"license class", "license", "name: X\nclass: free\nurl: https://example.org/l\n", "/class"},
		{"report pick", "report", "number: 1\ntitle: Q1\nfrom: 2026-01-01\nto: 2026-03-31\npublished: 2026-04-02\npicks: [{release: acme-7b}]\n", "/picks/0"},
		{"site period", "site", "title: T\nbase_url: https://example.org/\nperiod: week\n", "/period"},
		{"language", "release", release + "languages: [en, xx]\n", "/languages/1"},
		{"language path", "release", release + "languages: [\"../\"]\n", "/languages/0"},
		{"count of 32 digits", "release", release + "params_total: 10000000000000000000000000000000\n", "/params_total"},
		{"signal weight", "bucket", "title: Makers\norder: 1\ncolor: \"#112233\"\nquestion: Why?\nsignals: [{fact: product, present: true, weight: 9223372036854775807}]\n", "/signals/0/weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := instance([]byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			err = sch[tc.kind].Validate(v)
			var ve *jsonschema.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("accepted, want an error at %q", tc.at)
			}
			if !hasLocation(ve.BasicOutput(), tc.at) {
				b, _ := json.MarshalIndent(ve.BasicOutput(), "", "  ")
				t.Errorf("no error at %q:\n%s", tc.at, b)
			}
		})
	}
	// The base release itself is fine, so each case fails for its reason.
	v, _ := instance([]byte(release))
	if err := sch["release"].Validate(v); err != nil {
		t.Errorf("base release refused: %v", err)
	}
}

func hasLocation(u *jsonschema.OutputUnit, at string) bool {
	for _, e := range u.Errors {
		if e.InstanceLocation == at {
			return true
		}
	}
	return u.InstanceLocation == at
}

// TestSchemaScaffold checks that a new entry, placeholders and all, is
// refused by the schema only at its placeholders, and accepted once they
// are filled in, with its optional fields still empty.
func TestSchemaScaffold(t *testing.T) {
	sch := schemas(t)
	opt := scaffold.Options{Today: load.NewDate(2026, 11, 23), SchemaBase: "https://example.org/schema/"}
	rel, err := scaffold.Release("Acme 7B", "acme", "", []string{"acme"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	org, err := scaffold.Org("acme", opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind   string
		data   []byte
		todo   []string // where the placeholders are
		filled *strings.Replacer
	}{
		{"release", rel.Data, []string{"/sources/0"}, strings.NewReplacer("license: TODO", "license: apache-2.0", "  - TODO", "  - https://example.org/acme-7b")},
		{"org", org.Data, []string{"/kind", "/country"}, strings.NewReplacer("name: TODO", "name: Acme", "kind: TODO", "kind: lab", "country: TODO", "country: FR")},
	} {
		fm, err := frontMatter(tc.data)
		if err != nil {
			t.Fatal(err)
		}
		v, err := instance(fm)
		if err != nil {
			t.Fatal(err)
		}
		var ve *jsonschema.ValidationError
		if err := sch[tc.kind].Validate(v); !errors.As(err, &ve) {
			t.Errorf("%s: placeholders accepted", tc.kind)
		} else {
			for _, at := range tc.todo {
				if !hasLocation(ve.BasicOutput(), at) {
					t.Errorf("%s: no error at the placeholder %s: %v", tc.kind, at, err)
				}
			}
		}
		fm, _ = frontMatter([]byte(tc.filled.Replace(string(tc.data))))
		if v, err = instance(fm); err != nil {
			t.Fatal(err)
		}
		if err := sch[tc.kind].Validate(v); err != nil {
			t.Errorf("%s: filled-in entry refused: %v", tc.kind, err)
		}
	}
}

func TestSchemaUnknownKind(t *testing.T) {
	if _, err := check.Schema("model"); err == nil || !strings.Contains(err.Error(), "release, org, bucket, license, report, site") {
		t.Errorf("Schema(\"model\") error = %v, want one listing the kinds", err)
	}
}
