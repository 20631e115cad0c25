package hub_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/hub/hubtest"
)

func client(t *testing.T, token string) (*hub.Client, *hubtest.Server) {
	t.Helper()
	srv := hubtest.New("testdata/hub")
	t.Cleanup(srv.Close)
	c, err := hub.New(func(k string) string {
		return map[string]string{"HF_ENDPOINT": srv.URL + "/", "HF_TOKEN": token}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestNewReadsTheEnvironment(t *testing.T) {
	c, err := hub.New(func(string) string { return "" })
	if err != nil || c.Endpoint != "https://huggingface.co" || c.Token != "" {
		t.Fatalf("New with nothing set = %+v, %v; want the public Hub and no token", c, err)
	}
	for _, bad := range []string{"huggingface.co", "ftp://hf.example", "https://", "https://hf.example/?x=1"} {
		if _, err := hub.New(func(k string) string { return map[string]string{"HF_ENDPOINT": bad}[k] }); err == nil || !strings.Contains(err.Error(), "HF_ENDPOINT") {
			t.Errorf("HF_ENDPOINT=%q: err = %v, want one naming HF_ENDPOINT", bad, err)
		}
	}
	if got := hub.PageURL("tiiuae/falcon-mamba-7b"); got != "https://huggingface.co/tiiuae/falcon-mamba-7b" {
		t.Errorf("PageURL = %q", got)
	}
}

func TestModelRecord(t *testing.T) {
	c, _ := client(t, "")
	m, err := c.Model(context.Background(), "meta-llama/Llama-3.1-8B")
	if err != nil {
		t.Fatal(err)
	}
	if m.Gated != "manual" || m.Safetensors == nil || m.Safetensors.Total != 8030261248 || m.CreatedAt.Year() != 2024 || !m.HasFile("config.json") {
		t.Errorf("record = gated %q, safetensors %+v, created %v", m.Gated, m.Safetensors, m.CreatedAt)
	}
	cb, err := c.Model(context.Background(), "microsoft/codebert-base")
	if err != nil {
		t.Fatal(err)
	}
	if cb.Safetensors != nil || cb.Gated != "" || len(cb.CardData) != 0 {
		t.Errorf("codebert-base: safetensors %+v, gated %q, cardData %s; want none of them", cb.Safetensors, cb.Gated, cb.CardData)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	anon, _ := client(t, "")
	wrong, _ := client(t, "hf_not_the_right_one")
	right, _ := client(t, hubtest.Token)
	cases := []struct {
		name string
		err  func() error
		kind hub.Kind
		want string
	}{
		{"unknown model", func() error { _, err := anon.Model(ctx, "tiiuae/falcon-mamba-70b"); return err }, hub.NotFound, "tiiuae/falcon-mamba-70b: no such public model on the Hub (HTTP 401)"},
		{"not a repository", func() error { _, err := anon.Model(ctx, "falcon-mamba-7b"); return err }, 0, "not a Hugging Face repository"},
		{"unknown file", func() error { _, err := anon.File(ctx, "tiiuae/falcon-mamba-7b", "LICENSE"); return err }, hub.NotFound, "LICENSE of tiiuae/falcon-mamba-7b: the repository has no such file (HTTP 404)"},
		{"gated without token", func() error { _, err := anon.File(ctx, "meta-llama/Llama-3.1-8B", "config.json"); return err }, hub.Gated, "accept the terms at https://huggingface.co/meta-llama/Llama-3.1-8B, then set HF_TOKEN"},
		{"gated with another token", func() error { _, err := wrong.File(ctx, "meta-llama/Llama-3.1-8B", "config.json"); return err }, hub.Gated, "HTTP 403: the repository is gated and HF_TOKEN's account may not read it"},
		{"server error", func() error { _, err := anon.Model(ctx, "hubtest/server-error"); return err }, hub.Server, "the Hub failed (HTTP 503); try again later"},
	}
	for _, tc := range cases {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to say %q", tc.name, err, tc.want)
		}
		if tc.kind != 0 && !hub.IsKind(err, tc.kind) {
			t.Errorf("%s: err = %#v, want kind %d", tc.name, err, tc.kind)
		}
	}
	if data, err := right.File(ctx, "meta-llama/Llama-3.1-8B", "config.json"); err != nil || !strings.Contains(string(data), `"max_position_embeddings": 131072`) {
		t.Errorf("gated file with the token: %v, %.40q", err, data)
	}
}

func TestNoAnswerInTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	c := &hub.Client{Endpoint: srv.URL, HTTP: &http.Client{Timeout: 50 * time.Millisecond}}
	_, err := c.Model(context.Background(), "tiiuae/falcon-mamba-7b")
	if !hub.IsKind(err, hub.NoAnswer) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("err = %v, want no answer", err)
	}
}

func TestListFollowsLinkAndStopsAtSince(t *testing.T) {
	c, srv := client(t, "")
	all, err := c.List(context.Background(), "tiiuae", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 || all[0].ID != "tiiuae/falcon-mamba-7b-instruct-4bit" || all[5].ID != "tiiuae/falcon-40b" {
		t.Fatalf("listing = %d models, want the 6 recorded, newest first", len(all))
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests for 6 models at %d a page, want 2: %v", n, hubtest.PageSize, srv.Requests())
	}
	since := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recent, err := c.List(context.Background(), "tiiuae", since)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 4 {
		t.Errorf("since %v: %d models, want the 4 created since", since, len(recent))
	}
	if got := recent[0].BaseModels(); len(got) != 1 || got[0] != "tiiuae/falcon-mamba-7b-instruct" {
		t.Errorf("base models of %s = %v", recent[0].ID, got)
	}
	none, err := c.List(context.Background(), "nobody-at-all", time.Time{})
	if err != nil || len(none) != 0 {
		t.Errorf("an account with no models: %v, %v", none, err)
	}
}

func TestListRefusesANextPageElsewhere(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://elsewhere.example/api/models?cursor=1>; rel="next"`)
		w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c := &hub.Client{Endpoint: srv.URL}
	if _, err := c.List(context.Background(), "tiiuae", time.Time{}); !hub.IsKind(err, hub.BadAnswer) {
		t.Fatalf("err = %v, want a refusal of the foreign next page", err)
	}
}

func TestFetchNotesWhatItCouldNotRead(t *testing.T) {
	c, _ := client(t, "")
	b, err := c.Fetch(context.Background(), "meta-llama/Llama-3.1-8B")
	if err != nil {
		t.Fatal(err)
	}
	if b.Config != nil || b.Card != nil || len(b.Notes) != 2 || !strings.Contains(b.Notes[0], "config.json of meta-llama/Llama-3.1-8B: HTTP 401") {
		t.Errorf("gated without token: config %v, card %v, notes %q", b.Config != nil, b.Card != nil, b.Notes)
	}
	c, _ = client(t, hubtest.Token)
	if b, err = c.Fetch(context.Background(), "meta-llama/Llama-3.1-8B"); err != nil || b.Config == nil || b.Card == nil || len(b.Notes) != 0 {
		t.Errorf("gated with the token: %v, notes %q", err, b.Notes)
	}
}
