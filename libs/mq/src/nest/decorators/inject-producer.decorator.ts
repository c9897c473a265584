import { Inject } from '@nestjs/common';
import { getProducerToken } from '../mq.constants';

/** Injects the default producer of MqModule, or the extra producer of that name. */
export function InjectProducer(name?: string): ParameterDecorator & PropertyDecorator {
  return Inject(getProducerToken(name));
}
