CREATE TYPE "public"."payment_notice_outcome" AS ENUM('confirmed', 'not_paid', 'not_confirmed', 'unverified', 'mismatch', 'replayed', 'refused_already_paid', 'overpaid');--> statement-breakpoint
CREATE TABLE "payment_notices" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payment_id" uuid NOT NULL,
	"source" varchar(20) NOT NULL,
	"gateway_ref" varchar(64),
	"amount" text,
	"currency" varchar(8),
	"gateway_state" varchar(20),
	"data_digest" varchar(64),
	"outcome" "payment_notice_outcome" NOT NULL,
	"resolved_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_notices" ADD CONSTRAINT "payment_notices_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_notices_by_transaction" ON "payment_notices" USING btree ("gateway_ref");--> statement-breakpoint
CREATE INDEX "payment_notices_by_payment" ON "payment_notices" USING btree ("payment_id","received_at");--> statement-breakpoint
CREATE INDEX "payment_notices_flagged_by_time" ON "payment_notices" USING btree ("received_at") WHERE "payment_notices"."outcome" not in ('confirmed', 'not_paid');--> statement-breakpoint
CREATE UNIQUE INDEX "payment_notices_one_overpayment" ON "payment_notices" USING btree ("payment_id","gateway_ref") WHERE "payment_notices"."outcome" = 'overpaid';