package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// A schema kind is a kind of content file and the type it decodes to.
var schemaKinds = []struct {
	name, file string
	v          any
}{
	{"release", "content/releases/<org>/<slug>.md", load.Release{}},
	{"org", "content/orgs/<id>.md", load.Org{}},
	{"bucket", "content/buckets/<id>.md", load.Bucket{}},
	{"license", "content/licenses/<id>.md", load.License{}},
	{"report", "content/reports/<id>.md", load.Report{}},
	{"site", "content/site.yaml", load.Site{}},
	{"sources", "content/sources.yaml", load.Sources{}},
}

// SchemaKinds returns the kinds Schema knows, in a fixed order: release,
// org, bucket, license, report, site and sources.
func SchemaKinds() []string {
	var ks []string
	for _, k := range schemaKinds {
		ks = append(ks, k.name)
	}
	return ks
}

// Schema returns the JSON Schema (draft 2020-12) of one kind of content
// file's front matter (of site.yaml for kind "site"). It is generated from
// the struct tags of package load's types, the same tags check applies:
// yaml names the properties, doc describes them, and required, enum,
// pattern and format:"uri" constrain them. As in load, an empty (null)
// value is the same as an absent one, so optional properties accept null.
// The schema is more lenient than check, which also resolves ids and
// compares fields, with one exception: it refuses a source that is not an
// http(s) URL, which check only warns about.
func Schema(kind string) ([]byte, error) {
	for _, k := range schemaKinds {
		if k.name == kind {
			s := objectSchema(reflect.TypeOf(k.v))
			head := obj{
				{"$schema", "https://json-schema.org/draft/2020-12/schema"},
				{"title", "whyopen " + k.name},
				{"description", "The front matter of " + k.file + "."},
			}
			if k.name == "site" || k.name == "sources" {
				head[2].v = "The fields of " + k.file + "."
			}
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(append(head, s...)); err != nil {
				return nil, err
			}
			return b.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("no schema for %q: the kinds are %s", kind, strings.Join(SchemaKinds(), ", "))
}

// obj is a JSON object that keeps its keys in order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.k)
		b.Write(k)
		b.WriteByte(':')
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p.v); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimSuffix(v.Bytes(), []byte("\n")))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o obj) get(k string) (any, bool) {
	for _, p := range o {
		if p.k == k {
			return p.v, true
		}
	}
	return nil, false
}

func (o obj) set(k string, v any) obj {
	for i, p := range o {
		if p.k == k {
			o[i].v = v
			return o
		}
	}
	return append(o, kv{k, v})
}

var (
	dateType  = reflect.TypeOf(load.Date{})
	countType = reflect.TypeOf(load.Count(0))
	namesType = reflect.TypeOf(load.Names(nil))
)

// countPattern is what load.ParseCount accepts as text.
const countPattern = `^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*[KMBTkmbt]?\s*$`

// objectSchema describes a struct's yaml-tagged fields.
func objectSchema(t reflect.Type) obj {
	props := obj{}
	required := []string{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		req := f.Tag.Get("required") == "true"
		s := fieldSchema(f, f.Type, req)
		if !req {
			s = nullable(s)
		} else {
			required = append(required, name)
		}
		if doc := f.Tag.Get("doc"); doc != "" {
			s = append(obj{{"description", doc}}, s...)
		}
		props = append(props, kv{name, s})
	}
	out := obj{{"type", "object"}, {"additionalProperties", false}}
	if len(required) > 0 {
		out = append(out, kv{"required", required})
	}
	return append(out, kv{"properties", props})
}

// fieldSchema describes a value of type t, constrained by f's tags.
func fieldSchema(f reflect.StructField, t reflect.Type, required bool) obj {
	switch {
	case t == dateType:
		return obj{{"type", "string"}, {"format", "date"}, {"pattern", `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}}
	case t == countType:
		return obj{{"type", []string{"number", "string"}}, {"exclusiveMinimum", 0}, {"exclusiveMaximum", float64(load.MaxCount)}, {"pattern", countPattern}}
	case t == namesType:
		// One name, or a list of them: items constrains only a list.
		return obj{{"type", []string{"string", "array"}}, {"items", obj{{"type", "string"}}}}
	case t.Kind() == reflect.Pointer:
		return fieldSchema(f, t.Elem(), required)
	case t.Kind() == reflect.Slice:
		s := obj{{"type", "array"}, {"items", fieldSchema(f, t.Elem(), false)}}
		if required {
			s = append(s, kv{"minItems", 1})
		}
		return s
	case t.Kind() == reflect.Struct:
		return objectSchema(t)
	case t.Kind() == reflect.Map:
		return obj{{"type", "object"}, {"additionalProperties", fieldSchema(f, t.Elem(), false)}}
	case t.Kind() == reflect.Bool:
		return obj{{"type", "boolean"}}
	case t.Kind() == reflect.Int && f.Name == "Weight": // a signal's
		return obj{{"type", "integer"}, {"minimum", load.MinWeight}, {"maximum", load.MaxWeight}}
	case t.Kind() == reflect.Int:
		return obj{{"type", "integer"}}
	case t.Kind() == reflect.Float64:
		return obj{{"type", "number"}}
	}
	switch {
	case f.Tag.Get("enum") != "":
		return obj{{"type", "string"}, {"enum", strings.Split(f.Tag.Get("enum"), ",")}}
	case f.Tag.Get("format") == "language":
		return obj{{"type", "string"}, {"enum", append([]string{Multilingual}, languageCodes...)}}
	case f.Tag.Get("format") == "uri":
		return obj{{"type", "string"}, {"format", "uri"}, {"pattern", `^[Hh][Tt][Tt][Pp][Ss]?://`}}
	}
	// Load reads any scalar into a text field, so "context: 32768" is
	// text too; a pattern constrains only the strings.
	s := obj{{"type", []string{"string", "number"}}}
	if pat := f.Tag.Get("pattern"); pat != "" {
		s = append(s, kv{"pattern", pat})
	}
	return s
}

// nullable lets s also be null, the same as absent.
func nullable(s obj) obj {
	switch t, _ := s.get("type"); t := t.(type) {
	case string:
		s = s.set("type", []string{t, "null"})
	case []string:
		s = s.set("type", append(t, "null"))
	}
	if e, ok := s.get("enum"); ok {
		var vs []any
		for _, v := range e.([]string) {
			vs = append(vs, v)
		}
		s = s.set("enum", append(vs, nil))
	}
	return s
}
