package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// kinds maps each directory under content/ to the type its files decode to.
var kinds = map[string]func() any{
	"releases": func() any { return new(Release) },
	"orgs":     func() any { return new(Org) },
	"buckets":  func() any { return new(Bucket) },
	"licenses": func() any { return new(License) },
	"reports":  func() any { return new(Report) },
	"schemes":  func() any { return new(Bucket) }, // scheme.md is a Scheme: see readOne
}

type entry struct {
	rel  string // path relative to root, slash-separated
	abs  string
	kind string
}

// Dir reads the content tree under root/content. It follows root/content
// if that is a symbolic link, but refuses symbolic links inside it, and
// oversized files; it ignores hidden files and files that are not .md
// (with a warning for near misses such as x.MD or x.markdown), and
// returns every problem it met alongside whatever it could read. Files
// are read in parallel; the result does not depend on the order the file
// system lists them in.
func Dir(root string) (*Content, []Problem) { return dir(root, nil) }

func dir(root string, cache *Cache) (*Content, []Problem) {
	croot := filepath.Join(root, "content")
	if prob := contentDir(croot); prob != nil {
		c := &Content{}
		c.Site.File, c.Site.Unread = "content/site.yaml", true // not missing: its directory is
		return c, []Problem{*prob}
	}
	entries, walked, fresh, ok := cache.listed(root, croot)
	if !ok {
		entries, walked = walk(croot)
		cache.list(root, entries, walked)
	}
	probs := append([]Problem(nil), walked...)

	c := &Content{}
	c.Site.File, c.Site.Unread = "content/site.yaml", true // until ParseYAML reads it
	site := filepath.Join(croot, "site.yaml")
	if fi, err := os.Lstat(site); err != nil {
		probs = append(probs, Problem{Pos: Pos{File: "content/site.yaml"}, Msg: "missing: the site needs content/site.yaml with title and base_url"})
	} else if !fi.Mode().IsRegular() {
		probs = append(probs, Problem{Pos: Pos{File: "content/site.yaml"}, Msg: "must be a regular file"})
	} else if data, err := os.ReadFile(site); err != nil {
		probs = append(probs, Problem{Pos: Pos{File: "content/site.yaml"}, Msg: "cannot read: " + plainErr(err)})
	} else {
		probs = append(probs, ParseYAML("content/site.yaml", data, &c.Site)...)
	}

	// content/sources.yaml is optional: without it, no host is a mirror
	// or a farm.
	c.Sources.File = "content/sources.yaml"
	if fi, err := os.Lstat(filepath.Join(croot, "sources.yaml")); err == nil {
		if !fi.Mode().IsRegular() {
			probs = append(probs, Problem{Pos: Pos{File: "content/sources.yaml"}, Msg: "must be a regular file"})
		} else if data, err := os.ReadFile(filepath.Join(croot, "sources.yaml")); err != nil {
			probs = append(probs, Problem{Pos: Pos{File: "content/sources.yaml"}, Msg: "cannot read: " + plainErr(err)})
		} else {
			probs = append(probs, ParseYAML("content/sources.yaml", data, &c.Sources)...)
		}
	}

	values := make([]any, len(entries))
	found := make([][]Problem, len(entries))
	todo := cache.known(entries, fresh, values, found)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				values[i], found[i] = cache.read(entries[i])
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	cache.keep(entries)

	schemes := map[string]*Scheme{}
	var schemeBuckets []*Bucket
	for i, v := range values {
		probs = append(probs, found[i]...)
		switch v := v.(type) {
		case *Scheme:
			v.ID = schemeID(v.File)
			schemes[v.ID] = v
			c.Schemes = append(c.Schemes, v)
		case *Bucket:
			if id := schemeID(v.File); id != "" {
				v.Scheme = id
				schemeBuckets = append(schemeBuckets, v)
			} else {
				c.Buckets = append(c.Buckets, v)
			}
		case *Release:
			c.Releases = append(c.Releases, v)
		case *Org:
			c.Orgs = append(c.Orgs, v)
		case *License:
			c.Licenses = append(c.Licenses, v)
		case *Report:
			c.Reports = append(c.Reports, v)
		}
	}
	for _, b := range schemeBuckets {
		if sc := schemes[b.Scheme]; sc != nil {
			sc.Buckets = append(sc.Buckets, b)
		} else {
			probs = append(probs, Problem{Pos: Pos{File: b.File}, Msg: "bucket of a scheme without scheme.md: content/schemes/" + b.Scheme + "/scheme.md gives its title"})
		}
	}
	return c, probs
}

// schemeID returns the scheme directory's name for a file under
// content/schemes/<id>/, and "" for any other file.
func schemeID(file string) string {
	rest, ok := strings.CutPrefix(file, "content/schemes/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return id
}

// contentDir returns the problem with the content directory croot, if it
// is not one: missing, not a directory, or a symbolic link that leads to
// no directory.
func contentDir(croot string) *Problem {
	lfi, err := os.Lstat(croot)
	if err != nil {
		return &Problem{Pos: Pos{File: "content"}, Msg: "missing: the site needs a content directory holding site.yaml and releases/ (pass -src if the site is elsewhere)"}
	}
	fi, err := os.Stat(croot)
	if lfi.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(croot)
		if err != nil {
			return &Problem{Pos: Pos{File: "content"}, Msg: fmt.Sprintf("symbolic link to %q, which cannot be read: %s", target, plainErr(err))}
		}
		if !fi.IsDir() {
			return &Problem{Pos: Pos{File: "content"}, Msg: fmt.Sprintf("symbolic link to %q, which is not a directory", target)}
		}
		return nil
	}
	if !fi.IsDir() {
		return &Problem{Pos: Pos{File: "content"}, Msg: "not a directory: the content tree must be a directory holding site.yaml and releases/"}
	}
	return nil
}

// walk lists the content files under croot, with the problems of the
// files it cannot read, sorted by path. A croot that is a symbolic link
// is followed; the paths of problems and entries still begin content/.
func walk(croot string) ([]entry, []Problem) {
	var probs []Problem
	var entries []entry
	start := croot
	if fi, err := os.Lstat(croot); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(croot); err == nil {
			start = real
		}
	}
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(start, p)
		rel = path.Join("content", filepath.ToSlash(rel))
		if err != nil {
			probs = append(probs, Problem{Pos: Pos{File: rel}, Msg: "cannot read: " + plainErr(err)})
			return nil
		}
		if p == start {
			return nil
		}
		e, prob, skip := visit(croot, p, rel, d)
		if prob != nil {
			probs = append(probs, *prob)
		}
		if e != nil {
			entries = append(entries, *e)
		}
		return skip
	})
	if err != nil {
		probs = append(probs, Problem{Pos: Pos{File: "content"}, Msg: plainErr(err)})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].rel < entries[j].rel })
	return entries, probs
}

// visit says what the walk makes of one path under croot: a content file
// to read, a problem, or neither; and whether to skip a directory.
func visit(croot, p, rel string, d fs.DirEntry) (*entry, *Problem, error) {
	if strings.HasPrefix(d.Name(), ".") {
		if d.IsDir() {
			return nil, nil, filepath.SkipDir
		}
		return nil, nil, nil
	}
	if d.Type()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(p)
		where := "inside content/"
		if abs, err := filepath.EvalSymlinks(p); err != nil || !within(croot, abs) {
			where = "outside content/"
		}
		return nil, &Problem{Pos: Pos{File: rel}, Msg: fmt.Sprintf("symbolic link to %q (%s) refused: content must be regular files", target, where)}, nil
	}
	parts := strings.Split(rel, "/") // content/<kind>/...
	if d.IsDir() {
		if len(parts) == 2 {
			if _, ok := kinds[parts[1]]; !ok {
				return nil, &Problem{Pos: Pos{File: rel}, Severity: Warning, Msg: "unknown content directory, ignored" + DidYouMean(parts[1], kindNames())}, filepath.SkipDir
			}
		}
		return nil, nil, nil
	}
	if len(parts) == 2 {
		if parts[1] != "site.yaml" && strings.HasSuffix(parts[1], ".md") {
			return nil, &Problem{Pos: Pos{File: rel}, Severity: Warning, Msg: "content file outside any content directory, ignored"}, nil
		}
		if l := strings.ToLower(parts[1]); parts[1] != "site.yaml" && (l == "site.yaml" || l == "site.yml") {
			return nil, &Problem{Pos: Pos{File: rel}, Severity: Warning, Msg: `ignored: the site is read from content/site.yaml (did you mean "site.yaml"?)`}, nil
		}
		return nil, nil, nil
	}
	if !d.Type().IsRegular() {
		return nil, &Problem{Pos: Pos{File: rel}, Msg: "not a regular file"}, nil
	}
	if !strings.HasSuffix(d.Name(), ".md") {
		if md := nearMiss(d.Name()); md != "" {
			return nil, &Problem{Pos: Pos{File: rel}, Severity: Warning, Msg: fmt.Sprintf("ignored: only .md files are content (did you mean %q?)", md)}, nil
		}
		return nil, nil, nil
	}
	if parts[1] == "schemes" && len(parts) != 4 {
		return nil, &Problem{Pos: Pos{File: rel}, Msg: "scheme files live in content/schemes/<scheme-id>/: scheme.md and one file per bucket"}, nil
	}
	if parts[1] != "releases" && parts[1] != "schemes" && len(parts) > 3 {
		return nil, &Problem{Pos: Pos{File: rel}, Msg: fmt.Sprintf("%s files live directly in content/%s/, not in a subdirectory", parts[1], parts[1])}, nil
	}
	return &entry{rel: rel, abs: p, kind: parts[1]}, nil, nil
}

// nearMissExts are extensions of files that were probably meant to be
// content, lower-cased: other Markdown extensions, and .md with another
// added.
var nearMissExts = []string{".md.txt", ".markdown", ".mdown", ".mdwn", ".mkdn", ".mkd", ".mdx", ".mdtxt", ".mdtext", ".md"}

// nearMiss returns the .md name a file was probably meant to have, such
// as x.md for x.MD or x.markdown, or "" when it is not a near miss.
func nearMiss(name string) string {
	lower := strings.ToLower(name)
	for _, ext := range nearMissExts {
		if strings.HasSuffix(lower, ext) && len(name) > len(ext) {
			return name[:len(name)-len(ext)] + ".md"
		}
	}
	return ""
}

func readOne(e entry) (any, []Problem) {
	v := kinds[e.kind]()
	if e.kind == "schemes" && path.Base(e.rel) == "scheme.md" {
		v = new(Scheme)
	}
	// Parse copies what it keeps, so the file's bytes go back to the pool.
	buf := fileBuffers.Get().(*[]byte)
	defer fileBuffers.Put(buf)
	data, err := readFile(e.abs, MaxFile, *buf)
	var big tooLarge
	if errors.As(err, &big) {
		return nil, []Problem{{Pos: Pos{File: e.rel}, Msg: fmt.Sprintf("file is %d bytes; the limit is %d (10 MiB)", int64(big), MaxFile)}}
	}
	if err != nil {
		return nil, []Problem{{Pos: Pos{File: e.rel}, Msg: "cannot read: " + plainErr(err)}}
	}
	if cap(data) <= maxPooled {
		*buf = data[:0]
	}
	return v, Parse(e.rel, data, v)
}

// fileBuffers holds the buffers content files are read into. A buffer
// that grew past maxPooled for a large file is not kept.
var fileBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooled = 256 << 10

// tooLarge is the error of a file over the size limit: its size.
type tooLarge int64

func (t tooLarge) Error() string { return fmt.Sprintf("file is %d bytes", int64(t)) }

var errNotRegular = errors.New("not a regular file")

func kindNames() []string {
	var ns []string
	for k := range kinds {
		ns = append(ns, k)
	}
	sort.Strings(ns)
	return ns
}

func within(dir, p string) bool {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

func plainErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// File is a file of the theme: a template or a static file.
type File struct {
	Path string // slash-separated, relative to templates/ or static/
	Data []byte
}

// Theme reads root/templates and root/static. Where root has no templates/
// directory, the defaults in fallback are used; static/ is read from root
// when present, else from fallback too.
func Theme(root string, fallback fs.FS) (templates, static []File, err error) {
	read := func(dir string) ([]File, error) {
		var fsys fs.FS
		if fi, err := os.Stat(filepath.Join(root, dir)); err == nil && fi.IsDir() {
			fsys = os.DirFS(filepath.Join(root, dir))
		} else if fallback != nil {
			sub, err := fs.Sub(fallback, dir)
			if err != nil {
				return nil, err
			}
			fsys = sub
		} else {
			return nil, nil
		}
		var files []File
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == "." {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				return fmt.Errorf("%s/%s: symbolic links are not allowed", dir, p)
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			files = append(files, File{Path: p, Data: data})
			return nil
		})
		return files, err
	}
	if templates, err = read("templates"); err != nil {
		return nil, nil, err
	}
	if static, err = read("static"); err != nil {
		return nil, nil, err
	}
	return templates, static, nil
}
