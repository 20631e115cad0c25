# whyopen: `make` builds the report into public/, `make test` proves it works.

GO              ?= go
BIN             := bin/whyopen
ECHARTS_VERSION := 6.1.0
ECHARTS_SHA256  := 681aff88cc1038c3fa941a3a53d1b177a52250b05335efc607d6105ae13be481
ECHARTS_TGZ     := .cache/echarts-$(ECHARTS_VERSION).tgz
ZRENDER_VERSION := 6.1.0
ZRENDER_SHA256  := 38f2fb722a638be016ca0175b139c40c886ef47fc2afdb741b2e7e7ae9683f9c
ZRENDER_TGZ     := .cache/zrender-$(ZRENDER_VERSION).tgz
TSLIB_VERSION   := 2.3.0
TSLIB_SHA256    := ae285639feff7e3c39de4626352181a5d73b815725e42639b411c43848abffdb
TSLIB_TGZ       := .cache/tslib-$(TSLIB_VERSION).tgz
BUNDLE_SRC      := $(wildcard generator/internal/bundle/*.go generator/cmd/bundle/*.go) go.mod go.sum
VENDOR          := static/assets/vendor
ECHARTS         := $(VENDOR)/echarts.min.js
AXE_VERSION     := 4.14.1
AXE_SHA256      := e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
AXE_TGZ         := .cache/axe-core-$(AXE_VERSION).tgz
AXE             := .cache/axe/axe.min.js
VNU_VERSION     := 26.9.27
VNU_SHA256      := 5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
VNU_TGZ         := .cache/vnu-jar-$(VNU_VERSION).tgz
VNU             := .cache/vnu/vnu.jar
LIGHTHOUSE_SRC  := generator/cmd/lighthouse
LIGHTHOUSE      := .cache/lighthouse/node_modules/lighthouse/package.json
FRICTIONLESS_SRC := generator/internal/build/testdata/frictionless
FRICTIONLESS    := .cache/frictionless/node_modules/datapackage/package.json
STATICCHECK     := .cache/bin/staticcheck
STATICCHECK_VERSION := v0.8.2
GOSRC           := $(shell find generator -name '*.go' -not -path 'generator/cmd/*' -not -path 'generator/internal/bundle/*') embed.go go.mod go.sum
THEME           := $(shell find templates static -type f -not -path '$(VENDOR)/*')

.PHONY: all site check serve test lint bench fuzz clean vendor axe vnu frictionless lighthouse
.DELETE_ON_ERROR:

all: site

site: $(BIN) $(ECHARTS)
	./$(BIN) build

check: $(BIN)
	./$(BIN) check

serve: $(BIN) $(ECHARTS)
	./$(BIN) serve

# The binary embeds templates/ and static/ (ECharts included) as its
# default theme, so it is rebuilt when they change.
$(BIN): $(GOSRC) $(THEME) $(ECHARTS)
	$(GO) build -o $@ ./generator

# ECharts comes from the npm registry, pinned and checked; it is never
# committed and never loaded from a CDN. The site serves a custom build of
# only the chart types and components it uses (generator/internal/bundle),
# made with esbuild's Go API from the ES modules of echarts and of its
# dependencies zrender and tslib, each tarball pinned and checked too.
vendor: $(ECHARTS)

$(ECHARTS_TGZ):
	mkdir -p .cache
	cd .cache && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null 2>&1
	echo "$(ECHARTS_SHA256)  $@" | sha256sum -c --quiet - || { rm -f $@; echo "echarts tarball checksum mismatch" >&2; exit 1; }

$(ZRENDER_TGZ):
	mkdir -p .cache
	cd .cache && npm pack --silent zrender@$(ZRENDER_VERSION) >/dev/null 2>&1
	echo "$(ZRENDER_SHA256)  $@" | sha256sum -c --quiet - || { rm -f $@; echo "zrender tarball checksum mismatch" >&2; exit 1; }

$(TSLIB_TGZ):
	mkdir -p .cache
	cd .cache && npm pack --silent tslib@$(TSLIB_VERSION) >/dev/null 2>&1
	echo "$(TSLIB_SHA256)  $@" | sha256sum -c --quiet - || { rm -f $@; echo "tslib tarball checksum mismatch" >&2; exit 1; }

$(ECHARTS): $(ECHARTS_TGZ) $(ZRENDER_TGZ) $(TSLIB_TGZ) $(BUNDLE_SRC)
	mkdir -p $(VENDOR)
	$(GO) run ./generator/cmd/bundle -o $@ -license $(VENDOR)/echarts.LICENSE.txt \
		echarts=$(ECHARTS_TGZ) zrender=$(ZRENDER_TGZ) tslib=$(TSLIB_TGZ)

# axe-core is for the browser tests only (generator/internal/browser): it is
# injected into pages there and never served with the site.
axe: $(AXE)

$(AXE_TGZ):
	mkdir -p .cache
	cd .cache && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null 2>&1
	echo "$(AXE_SHA256)  $@" | sha256sum -c --quiet - || { rm -f $@; echo "axe-core tarball checksum mismatch" >&2; exit 1; }

$(AXE): $(AXE_TGZ)
	mkdir -p $(dir $@)
	tar -xzf $< -O package/axe.min.js > $@.tmp
	mv $@.tmp $@

# The Nu HTML Checker (vnu-jar) is for the build tests only
# (generator/internal/build/vnu_test.go): it checks the built pages.
vnu: $(VNU)

$(VNU_TGZ):
	mkdir -p .cache
	cd .cache && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null 2>&1
	echo "$(VNU_SHA256)  $@" | sha256sum -c --quiet - || { rm -f $@; echo "vnu-jar tarball checksum mismatch" >&2; exit 1; }

$(VNU): $(VNU_TGZ)
	mkdir -p $(dir $@)
	tar -xzf $< -O package/build/dist/vnu.jar > $@.tmp
	mv $@.tmp $@

# Frictionless Data's JavaScript library validates the data package in the
# build tests (generator/internal/build/datapkg_test.go). The lock file pins
# it and every dependency by version and checksum; npm ci installs exactly
# that, without running install scripts.
frictionless: $(FRICTIONLESS)

$(FRICTIONLESS): $(FRICTIONLESS_SRC)/package.json $(FRICTIONLESS_SRC)/package-lock.json
	mkdir -p .cache/frictionless
	cp $^ .cache/frictionless/
	cd .cache/frictionless && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# Lighthouse scores pages in `make bench`, pinned by its lock file like
# the Frictionless library above.
lighthouse: $(LIGHTHOUSE)

$(LIGHTHOUSE): $(LIGHTHOUSE_SRC)/package.json $(LIGHTHOUSE_SRC)/package-lock.json
	mkdir -p .cache/lighthouse
	cp $^ .cache/lighthouse/
	cd .cache/lighthouse && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

$(STATICCHECK):
	GOBIN=$(abspath .cache/bin) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: $(STATICCHECK)
	@fmt=$$(gofmt -l generator embed.go); if [ -n "$$fmt" ]; then echo "gofmt needed: $$fmt"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

test: $(ECHARTS) $(AXE) $(VNU) $(FRICTIONLESS) lint
	$(GO) test -count=1 ./...

# Lighthouse, mobile defaults, on the bundled content served from
# loopback: the table in the README's Performance section.
bench: $(BIN) $(ECHARTS) $(LIGHTHOUSE)
	./$(BIN) bench -n 1000 -n 10000 -n 50000
	$(GO) test ./generator/internal/browser -run '^$$' -bench Explorer -benchtime 7x
	./$(BIN) build -out .cache/bench-site
	$(GO) run ./generator/cmd/lighthouse -site .cache/bench-site -runs 3

fuzz:
	$(GO) test ./generator/internal/load -run '^$$' -fuzz FuzzParse -fuzztime 60s
	$(GO) test ./generator/internal/load -run '^$$' -fuzz FuzzMarkdown -fuzztime 60s
	$(GO) test ./generator/internal/provenance -run '^$$' -fuzz FuzzJudge -fuzztime 60s
	$(GO) test ./generator/internal/scaffold -run '^$$' -fuzz FuzzImportHub -fuzztime 60s
	$(GO) test ./generator/internal/scaffold -run '^$$' -fuzz FuzzCSV -fuzztime 60s

clean:
	rm -rf public bin .public.staging-* .public.whyopen $(VENDOR)
