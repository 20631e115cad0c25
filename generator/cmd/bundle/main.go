// Command bundle writes the site's custom ECharts build (see package
// bundle) from the npm tarballs of echarts, zrender and tslib:
//
//	go run ./generator/cmd/bundle -o static/assets/vendor/echarts.min.js \
//	  -license static/assets/vendor/echarts.LICENSE.txt \
//	  echarts=.cache/echarts-6.1.0.tgz zrender=.cache/zrender-6.1.0.tgz tslib=.cache/tslib-2.3.0.tgz
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/bundle"
)

func main() {
	out := flag.String("o", "", "the bundle to write")
	lic := flag.String("license", "", "the license file to write")
	flag.Parse()
	if err := run(*out, *lic, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func run(out, lic string, args []string) error {
	if out == "" || lic == "" {
		return fmt.Errorf("usage: bundle -o OUT.js -license OUT.txt name=TARBALL [name=TARBALL]")
	}
	tgz := map[string][]byte{}
	for _, a := range args {
		name, file, ok := strings.Cut(a, "=")
		if !ok {
			return fmt.Errorf("%q: want name=tarball", a)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		tgz[name] = b
	}
	res, err := bundle.Build(tgz)
	if err != nil {
		return err
	}
	// Write beside the target, then rename: make never sees half a file.
	for _, f := range []struct {
		path string
		data []byte
	}{{lic, res.License}, {out, res.JS}} {
		if err := os.WriteFile(f.path+".tmp", f.data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(f.path+".tmp", f.path); err != nil {
			return err
		}
	}
	return nil
}
