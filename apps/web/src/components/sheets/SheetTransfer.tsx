import { DownloadOutlined, FileExcelOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import type { DomainEvent, ImportResult, ImportRowError } from '@takt/contracts';
import {
  Alert,
  Button,
  Checkbox,
  Dropdown,
  Flex,
  Modal,
  Progress,
  Table,
  type TableColumnsType,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError, type ApiError } from '../../api/client.ts';
import { exportUrl, type SheetEntity, templateUrl, uploadSheet } from '../../api/sheets.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useLiveEvents } from '../../live/LiveEvents.tsx';
import { ProblemAlert } from '../ProblemAlert.tsx';

interface Phase {
  phase: 'uploading' | 'validating' | 'writing';
  done: number;
  total: number;
}

/**
 * The Export and Import buttons of a master-data list. Export downloads every record as .xlsx or
 * CSV; Import opens a dialog with the templates, a dry-run and an upsert switch, progress while
 * the file is sent and checked, and the problems (row, column, reason) with the full error report.
 */
export function SheetTransfer({
  entity,
  noun,
  label,
  onImported,
}: {
  entity: SheetEntity;
  noun: string;
  /** Names the sheet on the buttons when a page offers more than one. */
  label?: string;
  onImported?: () => void;
}) {
  const { t } = useTranslation('sheets');
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [upsert, setUpsert] = useState(false);
  const [busy, setBusy] = useState<Phase | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useLiveEvents(['import'], (event: DomainEvent) => {
    const data = event.data as { entity?: string; phase?: string; done?: number; total?: number };
    const phase = data.phase;
    if (data.entity !== entity || (phase !== 'validating' && phase !== 'writing')) return;
    // Events may arrive after the answer: only a running import shows them.
    setBusy((b) => (b ? { phase, done: data.done ?? 0, total: data.total ?? 0 } : b));
  });

  const reset = () => {
    setFile(null);
    setResult(null);
    setError(null);
  };

  const start = async () => {
    if (!file) return;
    setResult(null);
    setError(null);
    setBusy({ phase: 'uploading', done: 0, total: 100 });
    try {
      const res = await uploadSheet(entity, file, { mode: upsert ? 'upsert' : 'insert', dryRun }, (percent) =>
        setBusy((b) =>
          b?.phase === 'uploading'
            ? { phase: percent >= 100 ? 'validating' : 'uploading', done: percent, total: 100 }
            : b,
        ),
      );
      setResult(res);
      if (res.status === 'imported') onImported?.();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<ImportRowError> = [
    { key: 'row', dataIndex: 'row', title: t('row'), width: 70 },
    { key: 'column', dataIndex: 'column', title: t('column'), width: 160 },
    { key: 'value', dataIndex: 'value', title: t('value'), width: 140, ellipsis: true },
    { key: 'message', dataIndex: 'message', title: t('problem') },
  ];

  const progress = busy ? (
    <Flex vertical gap={4} data-testid="sheet-progress">
      <Typography.Text>
        {busy.phase === 'uploading'
          ? t('uploading', { percent: busy.done })
          : busy.phase === 'validating'
            ? t('validating', { done: busy.done })
            : t('writing', { done: busy.done, total: busy.total })}
      </Typography.Text>
      <Progress
        percent={
          busy.phase === 'uploading'
            ? busy.done
            : busy.total > 0
              ? Math.round((busy.done / busy.total) * 100)
              : 100
        }
        status="active"
        showInfo={busy.phase !== 'validating'}
      />
    </Flex>
  ) : null;

  return (
    <>
      <Dropdown
        menu={{
          items: [
            { key: 'xlsx', label: <a href={exportUrl(entity, 'xlsx')}>{t('exportXlsx')}</a> },
            { key: 'csv', label: <a href={exportUrl(entity, 'csv')}>{t('exportCsv')}</a> },
          ],
        }}
      >
        <Button icon={<DownloadOutlined />}>{label ? `${t('export')} · ${label}` : t('export')}</Button>
      </Dropdown>
      {can('masterdata:create') ? (
        <Button
          icon={<UploadOutlined />}
          onClick={() => {
            reset();
            setOpen(true);
          }}
        >
          {label ? `${t('import')} · ${label}` : t('import')}
        </Button>
      ) : null}
      <Modal
        open={open}
        title={t('title', { noun })}
        width={760}
        onCancel={() => !busy && setOpen(false)}
        maskClosable={!busy}
        destroyOnHidden
        footer={[
          <Button key="close" disabled={!!busy} onClick={() => setOpen(false)}>
            {t('close')}
          </Button>,
          <Button key="start" type="primary" loading={!!busy} disabled={!file} onClick={start}>
            {dryRun ? t('startDry') : t('start')}
          </Button>,
        ]}
      >
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">{t('step1')}</Typography.Text>
          <Flex gap={8} wrap>
            <Button icon={<FileExcelOutlined />} href={templateUrl(entity, 'xlsx')}>
              {t('templateXlsx')}
            </Button>
            <Button icon={<DownloadOutlined />} href={templateUrl(entity, 'csv')}>
              {t('templateCsv')}
            </Button>
          </Flex>
          <Upload.Dragger
            accept=".xlsx,.csv"
            maxCount={1}
            disabled={!!busy}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              setFile(f);
              setResult(null);
              setError(null);
              return false;
            }}
            onRemove={() => {
              setFile(null);
              return true;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('choose')}</p>
            <p className="ant-upload-hint">{t('limit')}</p>
          </Upload.Dragger>
          <Flex gap={16} wrap>
            <Checkbox checked={dryRun} disabled={!!busy} onChange={(e) => setDryRun(e.target.checked)}>
              {t('dryRun')}
            </Checkbox>
            <Checkbox checked={upsert} disabled={!!busy} onChange={(e) => setUpsert(e.target.checked)}>
              {t('upsert')}
            </Checkbox>
          </Flex>
          {progress}
          {error ? <ProblemAlert error={error} /> : null}
          {result ? <ImportOutcome result={result} columns={columns} /> : null}
        </Flex>
      </Modal>
    </>
  );
}

function ImportOutcome({
  result,
  columns,
}: {
  result: ImportResult;
  columns: TableColumnsType<ImportRowError>;
}) {
  const { t } = useTranslation('sheets');
  if (result.status !== 'invalid') {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="sheet-result"
        title={
          result.status === 'imported'
            ? t('imported', { inserted: result.inserted, updated: result.updated, rows: result.rows })
            : t('validated', { rows: result.rows })
        }
      />
    );
  }
  return (
    <Flex vertical gap={8} data-testid="sheet-result">
      <Alert
        type="error"
        showIcon
        title={t('invalid', { count: result.errorCount })}
        description={result.moreErrors > 0 ? t('moreErrors', { count: result.moreErrors }) : undefined}
        action={
          result.errorReport ? (
            <Button size="small" icon={<DownloadOutlined />} href={result.errorReport}>
              {t('errorReport')}
            </Button>
          ) : undefined
        }
      />
      <Table
        size="small"
        rowKey={(e) => `${e.row}:${e.column}:${e.message}`}
        columns={columns}
        dataSource={result.errors}
        pagination={result.errors.length > 8 ? { pageSize: 8, showSizeChanger: false } : false}
      />
    </Flex>
  );
}
