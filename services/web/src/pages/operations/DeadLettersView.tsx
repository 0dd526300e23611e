import { useQueries, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { DeadLetterQueue } from './DeadLetterQueue';
import { DEAD_LETTER_LIMIT, DEAD_LETTER_SERVICES, listKeyOf } from './dead-letters';
import { ErrorNote } from './ErrorNote';

/** Every service's dead-letter queues; one service being down does not hide the others'. */
export function DeadLettersView() {
  const client = useQueryClient();
  const services = useQueries({
    queries: DEAD_LETTER_SERVICES.map((service) => ({
      queryKey: ['dead-letters', service],
      queryFn: () => api(listKeyOf(service), { query: { limit: DEAD_LETTER_LIMIT } }),
    })),
  });
  const refreshing = services.some((service) => service.isFetching);
  return (
    <>
      <div className="section-actions">
        <button
          type="button"
          className="secondary"
          aria-busy={refreshing}
          disabled={refreshing}
          onClick={() => void client.invalidateQueries({ queryKey: ['dead-letters'] })}
        >
          Refresh dead letters
        </button>
      </div>
      {DEAD_LETTER_SERVICES.map((service, index) => {
        const query = services[index];
        const headingId = `dead-letters-${service}`;
        return (
          <section key={service} aria-labelledby={headingId} data-service={service}>
            <h2 id={headingId}>{service}</h2>
            {query?.isPending ? <p aria-busy="true">Loading dead letters…</p> : null}
            <ErrorNote error={query?.error} />
            {query?.data && query.data.queues.length === 0 ? <p>No dead-letter queues.</p> : null}
            {query?.data?.queues.map((report) => (
              <DeadLetterQueue key={report.queue} service={service} report={report} />
            ))}
          </section>
        );
      })}
    </>
  );
}
