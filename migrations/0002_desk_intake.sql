CREATE TABLE "tracking_book_counters" (
	"office_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "tracking_book_counters_office_id_year_pk" PRIMARY KEY("office_id","year")
);
--> statement-breakpoint
CREATE TABLE "advice_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"procedure_id" uuid NOT NULL,
	"office_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "documents_by_owner";--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "doc_type" varchar(40);--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "intake" jsonb;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "book_volume" integer;--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "book_entry" integer;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "keywords" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "search_text" text;--> statement-breakpoint
ALTER TABLE "tracking_book_counters" ADD CONSTRAINT "tracking_book_counters_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_log" ADD CONSTRAINT "advice_log_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_log" ADD CONSTRAINT "advice_log_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_log" ADD CONSTRAINT "advice_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advice_log_by_office_time" ON "advice_log" USING btree ("office_id","at");--> statement-breakpoint
CREATE INDEX "documents_by_owner" ON "documents" USING btree ("owner_citizen_id","doc_type");