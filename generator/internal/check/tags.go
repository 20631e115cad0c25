package check

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/load"
)

var patterns sync.Map // string → *regexp.Regexp

// tags applies the required, enum, pattern and format tags of v's fields.
func (k *checker) tags(d *load.Doc, v reflect.Value, prefix string) {
	if d.Unread {
		return // load reported why; its fields are not missing
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		path := prefix + name
		fv := v.Field(i)
		if !d.Has(path) {
			if f.Tag.Get("required") == "true" {
				at := d.Start
				if prefix != "" {
					at = d.Pos(strings.TrimSuffix(prefix, "."))
				}
				k.errorf(at, "missing required field %q", path)
			}
			continue
		}
		switch {
		case f.Type == dateType:
			k.date(d, path, fv.Interface().(load.Date))
		case fv.Kind() == reflect.Struct && fv.Type().PkgPath() == t.PkgPath():
			k.tags(d, fv, path+".")
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct:
			for j := 0; j < fv.Len(); j++ {
				k.tags(d, fv.Index(j), path+"."+strconv.Itoa(j)+".")
			}
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			for j := 0; j < fv.Len(); j++ {
				k.value(d, f, path+"."+strconv.Itoa(j), fv.Index(j).String())
			}
		case fv.Kind() == reflect.String:
			k.value(d, f, path, fv.String())
		}
	}
}

func (k *checker) value(d *load.Doc, f reflect.StructField, path, s string) {
	at := d.Pos(path)
	if IsPlaceholder(s) {
		k.placeholder(at, f, path)
		return
	}
	if hasTodo(s) {
		k.errorf(at, "%s still says TODO: finish it", path)
	}
	if enum := f.Tag.Get("enum"); enum != "" {
		allowed := strings.Split(enum, ",")
		if !contains(allowed, s) {
			k.errorf(at, "%s: %q is not one of %s%s", path, s, strings.Join(allowed, ", "), load.DidYouMean(s, allowed))
		}
	}
	if pat := f.Tag.Get("pattern"); pat != "" && s != "" {
		re, ok := patterns.Load(pat)
		if !ok {
			re, _ = patterns.LoadOrStore(pat, regexp.MustCompile(pat))
		}
		if !re.(*regexp.Regexp).MatchString(s) {
			k.errorf(at, "%s: %q is not well formed (%s)", path, s, patternHelp(pat))
		}
	}
	if titleFields[path] {
		k.title(d, path, s)
	}
	if f.Tag.Get("format") == "language" {
		k.language(d, path, s)
	}
	if f.Tag.Get("format") == "uri" && !isHTTP(s) {
		if strings.HasPrefix(path, "sources.") && !strings.Contains(s, ":") {
			return // release() warns about plain-text sources
		}
		if i := strings.IndexByte(s, ':'); i > 0 && !strings.HasPrefix(strings.ToLower(s), "http") {
			k.errorf(at, "%s: %q is not allowed: only http(s) URLs", path, clip(s))
			return
		}
		k.errorf(at, "%s: %q is not an http(s) URL", path, clip(s))
	}
}

func patternHelp(pat string) string {
	switch pat {
	case `^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$`:
		return "want a release slug, or a Hugging Face repository as owner/name"
	case `^#[0-9a-fA-F]{6}$`:
		return "want #rrggbb"
	case `^[A-Z]{2}$`, `^([A-Z]{2}|INT)$`:
		return "want an upper-case ISO 3166-1 alpha-2 code such as FR, or INT for an international organisation"
	case `^[a-z0-9]+(-[a-z0-9]+)*$`:
		return "want lowercase letters and digits, words joined by single hyphens, such as open-data"
	case `^[0-9]+(\.[0-9]+)?[KM]?$`:
		return "want a number of tokens such as 32768, 128K or 1M"
	}
	return "want " + pat
}
