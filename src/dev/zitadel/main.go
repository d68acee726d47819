// The OpenID Provider of github.com/zitadel/oidc (the library ZITADEL is built on) for Latchkey's
// OpenID Connect interoperability tests: the library's example provider (its in-memory storage and
// login page, exampleop) served on 127.0.0.1 only, on a port the system picks, which it prints as
// "listening http://127.0.0.1:<port>". The example program itself listens on every interface, so
// this small program serves the same provider instead.
//
// Its people come from the JSON file named by ZITADEL_OP_USERS_FILE (the example's own format).
// One public native client, "latchkey", is registered with the loopback redirect
// http://127.0.0.1/callback, which the library matches on any port (RFC 8252 §7.3), and a copy of
// it, "latchkey-without-refresh", lacks the refresh_token grant, as a ZITADEL application does
// until its "Refresh Token" option is on. The token
// encryption key is random for each start (the example's is fixed). Two calls for the tests,
// allowed with the bearer token in ZITADEL_OP_ADMIN_TOKEN: end a person's sessions, as the end-session
// endpoint does for them, and say whether a refresh token is still in the store.
package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	clientID               = "latchkey"
	clientWithoutRefreshID = "latchkey-without-refresh"
)

// withoutRefresh is the native client under another ID and without the refresh_token grant.
type withoutRefresh struct{ op.Client }

func (withoutRefresh) GetID() string { return clientWithoutRefreshID }

func (withoutRefresh) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }

// clientStore is the example storage, which also knows the client without the refresh_token grant.
type clientStore struct{ *storage.Storage }

func (s clientStore) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	if id != clientWithoutRefreshID {
		return s.Storage.GetClientByClientID(ctx, id)
	}
	client, err := s.Storage.GetClientByClientID(ctx, clientID)
	if err != nil {
		return nil, err
	}
	return withoutRefresh{client}, nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	users, err := storage.StoreFromFile(os.Getenv("ZITADEL_OP_USERS_FILE"))
	if err != nil {
		return fmt.Errorf("reading the people: %w", err)
	}
	adminToken := os.Getenv("ZITADEL_OP_ADMIN_TOKEN")
	if len(adminToken) < 16 {
		return fmt.Errorf("ZITADEL_OP_ADMIN_TOKEN is missing or short")
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	issuer := "http://" + listener.Addr().String()

	storage.RegisterClients(storage.NativeClient(clientID, "http://127.0.0.1/callback"))
	store := clientStore{storage.NewStorage(users)}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := exampleop.SetupServer(issuer, store, logger, false, op.WithCrypto(op.NewAESCrypto(key)))

	admin := func(handle func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+adminToken)) != 1 {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			handle(w, r)
		}
	}
	router.Post("/latchkey-test/end-sessions", admin(func(w http.ResponseWriter, r *http.Request) {
		if err := store.TerminateSession(r.Context(), r.FormValue("subject"), clientID); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	router.Post("/latchkey-test/refresh-token", admin(func(w http.ResponseWriter, r *http.Request) {
		_, err := store.TokenRequestByRefreshToken(r.Context(), r.FormValue("token"))
		fmt.Fprintf(w, "%t", err == nil)
	}))

	fmt.Printf("listening %s\n", issuer)
	return http.Serve(listener, router)
}
