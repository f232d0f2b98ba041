CREATE TABLE "citizen_accounts" (
	"citizen_id" varchar(12) PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"first_sign_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "citizen_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"citizen_id" varchar(12) NOT NULL,
	"full_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eid_logins" (
	"id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "citizen_sessions" ADD CONSTRAINT "citizen_sessions_citizen_id_citizen_accounts_citizen_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizen_accounts"("citizen_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "citizen_sessions_by_citizen" ON "citizen_sessions" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "citizen_sessions_by_expiry" ON "citizen_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "eid_logins_by_expiry" ON "eid_logins" USING btree ("expires_at");