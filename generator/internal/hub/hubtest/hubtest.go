// Package hubtest serves recorded Hugging Face Hub responses over
// httptest, for tests of package hub and of the commands that use it.
// Nothing it serves comes from the network.
//
// A recording directory holds, for each model OWNER/NAME, the files
// OWNER/NAME/api.json (the /api/models/OWNER/NAME record) and any of its
// repository files (config.json, README.md), and for each account
// _list/ACCOUNT.json, the /api/models?author=ACCOUNT listing as one JSON
// array, newest first. The server answers as the Hub does:
//
//   - an unknown model is 401 with X-Error-Code: RepoNotFound, as the
//     Hub answers a request without a token, and an unknown file is 404
//     with X-Error-Code: EntryNotFound;
//   - a model whose directory holds a file named "gated" serves its
//     record to anyone but its files only with the token Token: without
//     a token 401, with another one 403, both with X-Error-Code: GatedRepo;
//   - a listing comes PageSize models at a time, the next page named by a
//     Link header with rel="next";
//   - the model "hubtest/server-error" is a 503.
package hubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Token is the token the server accepts for gated files.
const Token = "hf_recorded_test_token"

// PageSize is the number of models in a page of a listing.
const PageSize = 3

// Server is a recorded Hub.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

// New serves the recordings in dir.
func New(dir string) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.RequestURI())
		s.mu.Unlock()
		serve(dir, w, r)
	}))
	return s
}

// Requests returns the request URIs served so far, in order.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func hubError(w http.ResponseWriter, status int, code, msg string) {
	if code != "" {
		w.Header().Set("X-Error-Code", code)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Write(b)
}

func serve(dir string, w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if r.Method != http.MethodGet {
		hubError(w, http.StatusMethodNotAllowed, "", "method not allowed")
		return
	}
	if p == "/api/models" {
		list(dir, w, r)
		return
	}
	if rest, ok := strings.CutPrefix(p, "/api/models/"); ok {
		if rest == "hubtest/server-error" {
			hubError(w, http.StatusServiceUnavailable, "", "Service Unavailable")
			return
		}
		data, err := read(dir, rest, "api.json")
		if err != nil {
			hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository not found")
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(data)
		return
	}
	// /OWNER/NAME/resolve/main/FILE
	parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 5)
	if len(parts) != 5 || parts[2] != "resolve" || parts[3] != "main" {
		hubError(w, http.StatusNotFound, "", "Not Found")
		return
	}
	repo, file := parts[0]+"/"+parts[1], parts[4]
	if _, err := read(dir, repo, "api.json"); err != nil {
		hubError(w, http.StatusUnauthorized, "RepoNotFound", "Repository not found")
		return
	}
	if _, err := read(dir, repo, "gated"); err == nil {
		switch r.Header.Get("Authorization") {
		case "Bearer " + Token:
		case "":
			hubError(w, http.StatusUnauthorized, "GatedRepo", fmt.Sprintf("Access to model %s is restricted. You must have access to it and be authenticated to access it. Please log in.", repo))
			return
		default:
			hubError(w, http.StatusForbidden, "GatedRepo", fmt.Sprintf("Access to model %s is restricted and you are not in the authorized list. Visit https://huggingface.co/%s to ask for access.", repo, repo))
			return
		}
	}
	data, err := read(dir, repo, file)
	if err != nil || file == "api.json" || file == "gated" {
		hubError(w, http.StatusNotFound, "EntryNotFound", "Entry not found")
		return
	}
	w.Write(data)
}

// read returns dir/repo/file, refusing paths that leave dir.
func read(dir, repo, file string) ([]byte, error) {
	for _, s := range append(strings.Split(repo, "/"), file) {
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `\`) {
			return nil, os.ErrNotExist
		}
	}
	return os.ReadFile(filepath.Join(dir, filepath.FromSlash(repo), file))
}

func list(dir string, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	author := q.Get("author")
	if q.Get("sort") != "createdAt" || q.Get("direction") != "-1" {
		hubError(w, http.StatusBadRequest, "", "the recordings are sorted by createdAt, newest first")
		return
	}
	var all []json.RawMessage
	if data, err := read(dir, "_list", author+".json"); err == nil {
		if err := json.Unmarshal(data, &all); err != nil {
			hubError(w, http.StatusInternalServerError, "", err.Error())
			return
		}
	}
	start, _ := strconv.Atoi(q.Get("cursor"))
	if start < 0 || start > len(all) {
		start = len(all)
	}
	end := min(start+PageSize, len(all))
	if end < len(all) {
		next := *r.URL
		nq := next.Query()
		nq.Set("cursor", strconv.Itoa(end))
		next.RawQuery = nq.Encode()
		w.Header().Set("Link", fmt.Sprintf("<http://%s%s>; rel=\"next\"", r.Host, next.RequestURI()))
	}
	page := all[start:end]
	if page == nil {
		page = []json.RawMessage{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, _ := json.Marshal(page)
	w.Write(b)
}
