import { type TopicRouteData } from './bodies/topic-route-data.body';
import { type ClusterInfo } from './bodies/cluster-info.body';
import { JsonBodyError, parseLenientJson, stringifyFastjson } from './fastjson';
import { decodeJsonBody, encodeJsonBody } from './json-body';

const route: TopicRouteData = {
  orderTopicConf: undefined,
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
  brokerDatas: [
    {
      cluster: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerAddrs: { 0: '127.0.0.1:10911', 1: '127.0.0.1:10921' },
    },
  ],
  filterServerTable: {},
};

describe('fastjson default dialect', () => {
  it('writes brokerAddrs keys unquoted and omits absent fields', () => {
    expect(stringifyFastjson(route)).toBe(
      '{"queueDatas":[{"brokerName":"broker-a","readQueueNums":4,"writeQueueNums":4,"perm":6,"topicSysFlag":0}],' +
        '"brokerDatas":[{"cluster":"DefaultCluster","brokerName":"broker-a",' +
        '"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:10921"}}],"filterServerTable":{}}',
    );
  });

  it('quotes integer-looking keys of ordinary string-keyed maps', () => {
    const cluster: ClusterInfo = {
      brokerAddrTable: { '7': { cluster: 'c', brokerName: '7', brokerAddrs: { 0: 'a:1' } } },
      clusterAddrTable: { c: ['7'] },
    };
    expect(stringifyFastjson(cluster)).toBe(
      '{"brokerAddrTable":{"7":{"cluster":"c","brokerName":"7","brokerAddrs":{0:"a:1"}}},"clusterAddrTable":{"c":["7"]}}',
    );
  });

  it('writes Sets as arrays and number-keyed Maps with bare keys', () => {
    expect(stringifyFastjson({ s: new Set(['a']), m: new Map([[3, 'x']]), n: null })).toBe(
      '{"s":["a"],"m":{3:"x"}}',
    );
  });

  it('reads back its own output and standard JSON alike', () => {
    const { orderTopicConf: _absent, ...expected } = route;
    expect(parseLenientJson(stringifyFastjson(route))).toEqual(expected);
    expect(parseLenientJson(JSON.stringify(route))).toEqual(expected);
  });

  it('quotes only keys, never numbers or text that merely look like keys', () => {
    const text = '{ 0 :"{1:2}", "a":[1,2], -3:{"b":",4:"}}';
    expect(parseLenientJson(text)).toEqual({ 0: '{1:2}', a: [1, 2], '-3': { b: ',4:' } });
    expect(parseLenientJson('{"q":"\\"",5:true}')).toEqual({ q: '"', 5: true });
  });

  it('rejects text that is neither dialect with a typed error', () => {
    expect(() => parseLenientJson('{a:1}')).toThrow(JsonBodyError);
    expect(() => parseLenientJson('')).toThrow(JsonBodyError);
  });
});

describe('JSON bodies', () => {
  it('encode in either dialect and decode leniently', () => {
    const standard = encodeJsonBody(route);
    const fastjson = encodeJsonBody(route, 'FASTJSON');
    expect(standard.toString()).toContain('"brokerAddrs":{"0":');
    expect(fastjson.toString()).toContain('"brokerAddrs":{0:');
    expect(decodeJsonBody<TopicRouteData>(fastjson).brokerDatas[0].brokerAddrs['0']).toBe('127.0.0.1:10911');
    expect(decodeJsonBody<TopicRouteData>(standard)).toEqual(decodeJsonBody<TopicRouteData>(fastjson));
  });

  it('refuses a missing body', () => {
    expect(() => decodeJsonBody(undefined)).toThrow(JsonBodyError);
  });
});
